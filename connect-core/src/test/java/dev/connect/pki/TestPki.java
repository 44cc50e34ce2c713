package dev.connect.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds certificates for validator tests, including the malformed ones a real CA never issues. Defaults: a fresh
 * P-256 key, valid from one hour ago for one day, no extensions unless set.
 */
public final class TestPki {

	public static final Instant NOW = Instant.parse("2031-02-03T04:05:06Z");

	private static final AtomicLong SERIALS = new AtomicLong(100);

	private TestPki() {
	}

	public static KeyPair ecKey() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A root as Consul's built-in CA makes it: self-signed CA with a trust-domain URI SAN. */
	public static Issued root(String trustDomain) {
		return root(trustDomain, NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(1)));
	}

	/** A root as {@link #root(String)} makes it, valid in the given window (for tests on the real clock). */
	public static Issued root(String trustDomain, Instant notBefore, Instant notAfter) {
		return new Spec("CN=root " + SERIALS.get()).uris("spiffe://" + trustDomain)
			.ca(-1)
			.keyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign | KeyUsage.cRLSign)
			.validity(notBefore, notAfter)
			.selfSigned();
	}

	/** A leaf as Consul issues it: empty subject, one critical URI SAN, client and server auth. */
	public static Spec leaf(String uri) {
		return new Spec("").uris(uri)
			.leafBasicConstraints()
			.keyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.keyAgreement)
			.extendedKeyUsage(KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth);
	}

	public record Issued(X509Certificate certificate, KeyPair keyPair) {
	}

	public static final class Spec {

		private String subject;

		private final List<GeneralName> names = new ArrayList<>();

		private Integer caPathLength;

		private boolean ca;

		private boolean leafBasicConstraints;

		private Integer keyUsage;

		private KeyPurposeId[] extendedKeyUsage;

		private Instant notBefore = NOW.minus(Duration.ofHours(1));

		private Instant notAfter = NOW.plus(Duration.ofDays(1));

		private final KeyPair keyPair = ecKey();

		Spec(String subject) {
			this.subject = subject;
		}

		Spec subject(String subject) {
			this.subject = subject;
			return this;
		}

		public Spec uris(String... uris) {
			for (String uri : uris) {
				this.names.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri));
			}
			return this;
		}

		public Spec dnsNames(String... dnsNames) {
			for (String dnsName : dnsNames) {
				this.names.add(new GeneralName(GeneralName.dNSName, dnsName));
			}
			return this;
		}

		public Spec noNames() {
			this.names.clear();
			return this;
		}

		/** Marks a CA; a negative path length means none. */
		Spec ca(int pathLength) {
			this.ca = true;
			this.caPathLength = (pathLength < 0) ? null : pathLength;
			return this;
		}

		Spec leafBasicConstraints() {
			this.leafBasicConstraints = true;
			return this;
		}

		Spec noBasicConstraints() {
			this.ca = false;
			this.leafBasicConstraints = false;
			return this;
		}

		Spec keyUsage(int usage) {
			this.keyUsage = usage;
			return this;
		}

		Spec noKeyUsage() {
			this.keyUsage = null;
			return this;
		}

		Spec extendedKeyUsage(KeyPurposeId... purposes) {
			this.extendedKeyUsage = purposes;
			return this;
		}

		Spec noExtendedKeyUsage() {
			this.extendedKeyUsage = null;
			return this;
		}

		public Spec validity(Instant notBefore, Instant notAfter) {
			this.notBefore = notBefore;
			this.notAfter = notAfter;
			return this;
		}

		Issued selfSigned() {
			return new Issued(build(new X500Name(this.subject), this.keyPair), this.keyPair);
		}

		public Issued signedBy(Issued issuer) {
			X500Name issuerName = X500Name.getInstance(
					issuer.certificate().getSubjectX500Principal().getEncoded());
			return new Issued(build(issuerName, issuer.keyPair()), this.keyPair);
		}

		private X509Certificate build(X500Name issuer, KeyPair signer) {
			try {
				X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
						BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(this.notBefore),
						Date.from(this.notAfter), new X500Name(this.subject), this.keyPair.getPublic());
				if (!this.names.isEmpty()) {
					builder.addExtension(Extension.subjectAlternativeName, this.subject.isEmpty(),
							new GeneralNames(this.names.toArray(GeneralName[]::new)));
				}
				if (this.ca) {
					builder.addExtension(Extension.basicConstraints, true, (this.caPathLength != null)
							? new BasicConstraints(this.caPathLength) : new BasicConstraints(true));
				}
				else if (this.leafBasicConstraints) {
					builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
				}
				if (this.keyUsage != null) {
					builder.addExtension(Extension.keyUsage, true, new KeyUsage(this.keyUsage));
				}
				if (this.extendedKeyUsage != null) {
					builder.addExtension(Extension.extendedKeyUsage, false,
							new ExtendedKeyUsage(this.extendedKeyUsage));
				}
				return new JcaX509CertificateConverter()
					.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA")
						.build(signer.getPrivate())));
			}
			catch (Exception ex) {
				throw new IllegalStateException("Unable to build test certificate", ex);
			}
		}

	}

}
