package dev.connect.test;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.TrustManagerFactory;

import dev.connect.identity.ServiceIdentity;
import dev.connect.identity.TrustDomain;
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
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A CA for tests that issues SPIFFE certificates shaped like Consul's, in the spirit of okhttp-tls's
 * {@code HeldCertificate}: a root with the trust domain's URI, and leaves for services signed by it, as PEM, a
 * {@code KeyManagerFactory} and a {@code TrustManagerFactory}. Every setting has a stated default.
 * <pre>
 * SvidAuthority ca = SvidAuthority.builder().build();
 * HeldSvid web = ca.leaf("web").build();
 * HeldSvid expired = ca.leaf("web").validity(Instant.now().minus(Duration.ofDays(2)), Instant.now().minus(Duration.ofDays(1))).build();
 * </pre>
 */
public final class SvidAuthority {

	private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime() & 0xffff_ffffL);

	private final TrustDomain trustDomain;

	private final HeldSvid root;

	private SvidAuthority(TrustDomain trustDomain, HeldSvid root) {
		this.trustDomain = trustDomain;
		this.root = root;
	}

	/**
	 * Starts a builder.
	 * @return the builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Returns the trust domain.
	 * @return the trust domain
	 */
	public TrustDomain trustDomain() {
		return this.trustDomain;
	}

	/**
	 * Returns the root certificate and its key.
	 * @return the root
	 */
	public HeldSvid root() {
		return this.root;
	}

	/**
	 * Starts a leaf for a service in this trust domain.
	 * @param service the service name
	 * @return the leaf builder
	 */
	public LeafBuilder leaf(String service) {
		return new LeafBuilder(this, service);
	}

	/**
	 * Returns a trust manager factory that trusts this CA's root.
	 * @return the factory, initialized
	 */
	public TrustManagerFactory trustManagerFactory() {
		try {
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(null, null);
			store.setCertificateEntry("root", this.root.certificate());
			TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			factory.init(store);
			return factory;
		}
		catch (GeneralSecurityException | java.io.IOException ex) {
			throw new IllegalStateException("Unable to build a trust manager for " + this.trustDomain, ex);
		}
	}

	/** Builds an authority. */
	public static final class Builder {

		private String trustDomain = UUID.randomUUID() + ".consul";

		private Instant notBefore = Instant.now().minus(Duration.ofHours(1));

		private Instant notAfter = Instant.now().plus(Duration.ofDays(3650));

		private Builder() {
		}

		/**
		 * Sets the trust domain. Default: a random UUID followed by {@code .consul}, as Consul's.
		 * @param trustDomain the trust domain
		 * @return this builder
		 */
		public Builder trustDomain(String trustDomain) {
			this.trustDomain = Objects.requireNonNull(trustDomain, "'trustDomain' must not be null");
			return this;
		}

		/**
		 * Sets the root's validity. Default: from one hour ago for 10 years.
		 * @param notBefore the start
		 * @param notAfter the end, after the start
		 * @return this builder
		 * @throws IllegalArgumentException when the end is not after the start
		 */
		public Builder validity(Instant notBefore, Instant notAfter) {
			checkValidity(notBefore, notAfter);
			this.notBefore = notBefore;
			this.notAfter = notAfter;
			return this;
		}

		/**
		 * Creates the authority: an EC P-256 self-signed root, CA with path length 0, key usage keyCertSign, cRLSign
		 * and digitalSignature, and the URI SAN {@code spiffe://<trust domain>}.
		 * @return the authority
		 */
		public SvidAuthority build() {
			TrustDomain domain = TrustDomain.parse(this.trustDomain);
			KeyPair key = ecKey();
			X500Name name = new X500Name("CN=Test CA " + domain.name());
			X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(), Date.from(this.notBefore),
					Date.from(this.notAfter), name, key.getPublic());
			try {
				JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
				builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
				builder.addExtension(Extension.keyUsage, true,
						new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
				builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
						new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://" + domain.name())));
				builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key.getPublic()));
				return new SvidAuthority(domain, new HeldSvid(sign(builder, key), key, List.of()));
			}
			catch (GeneralSecurityException | java.io.IOException ex) {
				throw new IllegalStateException("Unable to build the test CA", ex);
			}
		}

	}

	/** Builds a leaf. */
	public static final class LeafBuilder {

		private final SvidAuthority authority;

		private final String service;

		private String datacenter = "dc1";

		private Instant notBefore = Instant.now().minus(Duration.ofMinutes(1));

		private Instant notAfter = Instant.now().plus(Duration.ofHours(72));

		private final List<String> additionalUris = new ArrayList<>();

		private LeafBuilder(SvidAuthority authority, String service) {
			this.authority = authority;
			this.service = Objects.requireNonNull(service, "'service' must not be null");
		}

		/**
		 * Sets the datacenter in the identity. Default: {@code dc1}.
		 * @param datacenter the datacenter
		 * @return this builder
		 */
		public LeafBuilder datacenter(String datacenter) {
			this.datacenter = Objects.requireNonNull(datacenter, "'datacenter' must not be null");
			return this;
		}

		/**
		 * Sets the validity. Default: from one minute ago (Consul's backdate) for 72 hours (Consul's leaf TTL).
		 * @param notBefore the start
		 * @param notAfter the end, after the start
		 * @return this builder
		 * @throws IllegalArgumentException when the end is not after the start
		 */
		public LeafBuilder validity(Instant notBefore, Instant notAfter) {
			checkValidity(notBefore, notAfter);
			this.notBefore = notBefore;
			this.notAfter = notAfter;
			return this;
		}

		/**
		 * Adds a second URI SAN, which makes the certificate an invalid X.509-SVID: for tests that must see it
		 * refused. Default: none.
		 * @param uri the extra URI
		 * @return this builder
		 */
		public LeafBuilder additionalUri(String uri) {
			this.additionalUris.add(Objects.requireNonNull(uri, "'uri' must not be null"));
			return this;
		}

		/**
		 * Issues the leaf: a fresh EC P-256 key, empty subject, a critical URI SAN with the service's identity
		 * ({@code spiffe://<td>/ns/default/dc/<dc>/svc/<service>}), not a CA, key usage digitalSignature,
		 * keyEncipherment, dataEncipherment and keyAgreement, extended key usage serverAuth and clientAuth, as
		 * Consul issues them.
		 * @return the leaf, with the root as its issuer
		 */
		public HeldSvid build() {
			ServiceIdentity identity = ServiceIdentity.of(this.authority.trustDomain, this.datacenter, this.service);
			KeyPair key = ecKey();
			HeldSvid root = this.authority.root;
			X500Name issuer = X500Name.getInstance(root.certificate().getSubjectX500Principal().getEncoded());
			X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serial(),
					Date.from(this.notBefore), Date.from(this.notAfter), new X500Name(""), key.getPublic());
			try {
				JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
				List<GeneralName> names = new ArrayList<>();
				names.add(new GeneralName(GeneralName.uniformResourceIdentifier, identity.toString()));
				for (String uri : this.additionalUris) {
					names.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri));
				}
				builder.addExtension(Extension.subjectAlternativeName, true,
						new GeneralNames(names.toArray(GeneralName[]::new)));
				builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
				builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature
						| KeyUsage.keyEncipherment | KeyUsage.dataEncipherment | KeyUsage.keyAgreement));
				builder.addExtension(Extension.extendedKeyUsage, false,
						new ExtendedKeyUsage(new KeyPurposeId[] { KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth }));
				builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key.getPublic()));
				builder.addExtension(Extension.authorityKeyIdentifier, false,
						utils.createAuthorityKeyIdentifier(root.certificate()));
				return new HeldSvid(sign(builder, root.keyPair()), key, List.of(root.certificate()));
			}
			catch (GeneralSecurityException | java.io.IOException ex) {
				throw new IllegalStateException("Unable to issue a test leaf for '" + this.service + "'", ex);
			}
		}

	}

	private static java.security.cert.X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
			throws GeneralSecurityException {
		try {
			return new JcaX509CertificateConverter()
				.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
		}
		catch (org.bouncycastle.operator.OperatorCreationException ex) {
			throw new GeneralSecurityException(ex);
		}
	}

	private static void checkValidity(Instant notBefore, Instant notAfter) {
		Objects.requireNonNull(notBefore, "'notBefore' must not be null");
		Objects.requireNonNull(notAfter, "'notAfter' must not be null");
		if (!notBefore.isBefore(notAfter)) {
			throw new IllegalArgumentException(
					"Validity must end after it starts, but was from " + notBefore + " to " + notAfter);
		}
	}

	private static BigInteger serial() {
		return BigInteger.valueOf(SERIALS.incrementAndGet());
	}

	private static KeyPair ecKey() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
