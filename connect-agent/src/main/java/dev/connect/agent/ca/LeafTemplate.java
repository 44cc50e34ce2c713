package dev.connect.agent.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import dev.connect.identity.ServiceIdentity;
import dev.connect.pki.KeyIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;

/**
 * The contents of a service leaf (spec section 4.3). Nothing from a request reaches the certificate but the
 * service identity the CA built itself:
 * <ul>
 * <li>empty subject, so the single URI SAN (the service's SPIFFE ID) is critical;</li>
 * <li>basic constraints critical, not a CA; key usage critical: digitalSignature, keyEncipherment,
 * dataEncipherment, keyAgreement; extended key usage clientAuth and serverAuth;</li>
 * <li>SKID = SHA-256 of the leaf key, AKID = the signing root's key identifier;</li>
 * <li>valid from one minute before signing for the leaf TTL, but never beyond the root.</li>
 * </ul>
 */
final class LeafTemplate {

	/**
	 * Leaves are backdated so that a peer whose clock is a little behind ours accepts a certificate the moment
	 * it is issued, rather than failing handshakes with "not yet valid" for a few seconds.
	 */
	static final Duration BACKDATE = Duration.ofMinutes(1);

	private static final X500Name EMPTY_SUBJECT = new X500Name(new RDN[0]);

	private LeafTemplate() {
	}

	static X509Certificate sign(ServiceIdentity identity, PublicKey key, BigInteger serial, Instant now, Duration ttl,
			SigningRoot signer, SecureRandom random) {
		X509Certificate root = signer.root().certificate();
		Instant notBefore = now.minus(BACKDATE);
		Instant notAfter = notBefore.plus(ttl);
		if (notAfter.isAfter(root.getNotAfter().toInstant())) {
			notAfter = root.getNotAfter().toInstant();
		}
		try {
			X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
					new JcaX509CertificateHolder(root).getSubject(), serial, Date.from(notBefore), Date.from(notAfter),
					EMPTY_SUBJECT, org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(key.getEncoded()));
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
			builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature
					| KeyUsage.keyEncipherment | KeyUsage.dataEncipherment | KeyUsage.keyAgreement));
			builder.addExtension(Extension.extendedKeyUsage, false,
					new ExtendedKeyUsage(new KeyPurposeId[] { KeyPurposeId.id_kp_clientAuth,
							KeyPurposeId.id_kp_serverAuth }));
			builder.addExtension(Extension.subjectAlternativeName, true, new GeneralNames(
					new GeneralName(GeneralName.uniformResourceIdentifier, identity.toString())));
			builder.addExtension(Extension.subjectKeyIdentifier, false,
					new SubjectKeyIdentifier(KeyIdentifiers.of(key)));
			builder.addExtension(Extension.authorityKeyIdentifier, false,
					new AuthorityKeyIdentifier(KeyIdentifiers.of(signer.keyPair().getPublic())));
			return CaKeys.sign(builder, signer.keyPair().getPrivate(), random);
		}
		catch (IOException | java.security.cert.CertificateEncodingException ex) {
			throw new IllegalStateException("Unable to sign leaf for '" + identity + "'", ex);
		}
	}

}
