package dev.connect.agent.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import dev.connect.identity.TrustDomain;
import dev.connect.pki.KeyIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;

/**
 * Root and cross-signed certificates as Consul's built-in CA makes them:
 * <ul>
 * <li>subject {@code CN=pri-<8 base36>.consul.ca.<first 8 of the trust domain>.consul}, one URI SAN
 * {@code spiffe://<trust-domain>};</li>
 * <li>the extensions of {@link SvidProfile#root}: basic constraints critical, CA, path length 0 (this root signs
 * leaves itself, so no certificate under it may act as a CA); key usage critical: digitalSignature, keyCertSign,
 * cRLSign; SKID = AKID = SHA-256 of the public key;</li>
 * <li>valid from now (roots are not backdated) for the root TTL.</li>
 * </ul>
 */
final class RootTemplate {

	/** How long a cross-signed certificate is valid, as Consul's built-in provider. */
	static final Duration CROSS_SIGNED_TTL = Duration.ofDays(7);

	static final Duration BACKDATE = Duration.ofMinutes(1);

	private RootTemplate() {
	}

	static String commonName(TrustDomain trustDomain, SecureRandom random) {
		String uid = Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
		uid = (uid.length() > 8) ? uid.substring(0, 8) : uid;
		String domain = trustDomain.name();
		return "pri-" + uid + ".consul.ca." + domain.substring(0, Math.min(8, domain.length())) + ".consul";
	}

	static X509Certificate selfSigned(KeyPair key, TrustDomain trustDomain, String commonName, BigInteger serial,
			Instant now, Duration ttl, SecureRandom random) {
		return SvidProfile.root("CN=" + commonName, key, trustDomain.id().toString(), serial, now, now.plus(ttl), random);
	}

	/**
	 * Cross-signs a new root with the previous root's key: same subject, key and extensions as the new root, but
	 * issued by the previous root, with a new serial and the previous key as authority. Leaves of the new root
	 * that carry it verify against the previous root, so peers that have not yet fetched the new root keep
	 * accepting them.
	 */
	static X509Certificate crossSign(X509Certificate newRoot, SigningRoot previous, BigInteger serial, Instant now,
			SecureRandom random) {
		try {
			JcaX509CertificateHolder holder = new JcaX509CertificateHolder(newRoot);
			X500Name issuer = new JcaX509CertificateHolder(previous.root().certificate()).getSubject();
			// Backdated like leaves, so that a peer whose clock runs a little behind accepts it at once.
			Instant notBefore = now.minus(BACKDATE);
			X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuer, serial, Date.from(notBefore),
					Date.from(now.plus(CROSS_SIGNED_TTL)), holder.getSubject(), holder.getSubjectPublicKeyInfo());
			for (Object oid : holder.getExtensionOIDs()) {
				if (!Extension.authorityKeyIdentifier.equals(oid)) {
					builder.copyAndAddExtension((org.bouncycastle.asn1.ASN1ObjectIdentifier) oid,
							holder.getExtension((org.bouncycastle.asn1.ASN1ObjectIdentifier) oid).isCritical(), holder);
				}
			}
			builder.addExtension(Extension.authorityKeyIdentifier, false,
					new AuthorityKeyIdentifier(KeyIdentifiers.of(previous.signingKey().getPublic())));
			return CaKeys.sign(builder, previous.signingKey().getPrivate(), random);
		}
		catch (CertificateEncodingException | IOException ex) {
			throw new IllegalStateException("Unable to cross-sign root '" + newRoot.getSubjectX500Principal() + "'",
					ex);
		}
	}

}
