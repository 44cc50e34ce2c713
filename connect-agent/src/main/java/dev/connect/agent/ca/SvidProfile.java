package dev.connect.agent.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;

import dev.connect.pki.KeyIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
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
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/**
 * The certificates Consul's built-in CA issues, in one place: the CA's own roots and leaves are made here, and so are
 * the test kit's (connect-test's {@code SvidAuthority}), which must issue exactly what the CA issues, only with a
 * validity and names of the test's choosing (a leaf that expires in seconds, or one with a second URI, which the CA
 * never issues). Validity and names are the caller's; the extensions are the profile's.
 */
public final class SvidProfile {

	private static final X500Name EMPTY_SUBJECT = new X500Name(new RDN[0]);

	private SvidProfile() {
	}

	/**
	 * Issues a leaf as Consul does: empty subject; a critical URI SAN; not a CA; key usage digitalSignature,
	 * keyEncipherment, dataEncipherment and keyAgreement; extended key usage clientAuth and serverAuth; subject and
	 * authority key identifiers.
	 * @param issuer the issuing root's certificate
	 * @param issuerKey the issuing root's key pair
	 * @param subjectKey the leaf's public key
	 * @param uris the URI SANs, the SPIFFE ID first (the CA always gives exactly one)
	 * @param serial the serial number
	 * @param notBefore the start of validity
	 * @param notAfter the end of validity
	 * @param random the randomness for the signature
	 * @return the leaf
	 */
	public static X509Certificate leaf(X509Certificate issuer, KeyPair issuerKey, PublicKey subjectKey, List<String> uris,
			BigInteger serial, Instant notBefore, Instant notAfter, SecureRandom random) {
		X500Name issuerName = X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
		X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuerName, serial, Date.from(notBefore),
				Date.from(notAfter), EMPTY_SUBJECT, SubjectPublicKeyInfo.getInstance(subjectKey.getEncoded()));
		try {
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
			builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature
					| KeyUsage.keyEncipherment | KeyUsage.dataEncipherment | KeyUsage.keyAgreement));
			builder.addExtension(Extension.extendedKeyUsage, false,
					new ExtendedKeyUsage(new KeyPurposeId[] { KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth }));
			builder.addExtension(Extension.subjectAlternativeName, true, uris(uris));
			builder.addExtension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(KeyIdentifiers.of(subjectKey)));
			builder.addExtension(Extension.authorityKeyIdentifier, false,
					new AuthorityKeyIdentifier(KeyIdentifiers.of(issuerKey.getPublic())));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Unable to build a leaf for " + uris, ex);
		}
		return CaKeys.sign(builder, issuerKey.getPrivate(), random);
	}

	/**
	 * Issues a self-signed root as Consul does: a CA with path length 0; key usage digitalSignature, keyCertSign and
	 * cRLSign; the URI SAN of the trust domain; its key as both subject and authority key identifier.
	 * @param subject the subject, for example {@code CN=pri-1a2b3c4d.consul.ca.11111111.consul}
	 * @param key the root's key pair
	 * @param trustDomainUri the trust domain's SPIFFE ID, {@code spiffe://<trust domain>}
	 * @param serial the serial number
	 * @param notBefore the start of validity
	 * @param notAfter the end of validity
	 * @param random the randomness for the signature
	 * @return the root
	 */
	public static X509Certificate root(String subject, KeyPair key, String trustDomainUri, BigInteger serial,
			Instant notBefore, Instant notAfter, SecureRandom random) {
		X500Name name = new X500Name(subject);
		byte[] keyId = KeyIdentifiers.of(key.getPublic());
		X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name, serial, Date.from(notBefore),
				Date.from(notAfter), name, SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()));
		try {
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
			builder.addExtension(Extension.keyUsage, true,
					new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign | KeyUsage.cRLSign));
			builder.addExtension(Extension.subjectAlternativeName, false, uris(List.of(trustDomainUri)));
			builder.addExtension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyId));
			builder.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(keyId));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Unable to build root certificate '" + subject + "'", ex);
		}
		return CaKeys.sign(builder, key.getPrivate(), random);
	}

	private static GeneralNames uris(List<String> uris) {
		Objects.requireNonNull(uris, "'uris' must not be null");
		if (uris.isEmpty()) {
			throw new IllegalArgumentException("A certificate of the mesh needs at least one URI SAN, but none was given");
		}
		return new GeneralNames(uris.stream()
			.map((uri) -> new GeneralName(GeneralName.uniformResourceIdentifier, uri))
			.toArray(GeneralName[]::new));
	}

}
