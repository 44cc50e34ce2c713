package dev.connect.test;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.TrustManagerFactory;

import dev.connect.agent.ca.SvidProfile;
import dev.connect.identity.ServiceIdentity;
import dev.connect.identity.TrustDomain;

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

	/** Randomness for signatures only: test keys need no secret of their own. */
	private static final SecureRandom RANDOM = new SecureRandom();

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
			X509Certificate root = SvidProfile.root("CN=Test CA " + domain.name(), key, "spiffe://" + domain.name(),
					serial(), this.notBefore, this.notAfter, RANDOM);
			return new SvidAuthority(domain, new HeldSvid(root, key, List.of()));
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
			List<String> uris = new ArrayList<>();
			uris.add(identity.toString());
			uris.addAll(this.additionalUris);
			X509Certificate leaf = SvidProfile.leaf(root.certificate(), root.keyPair(), key.getPublic(), uris, serial(),
					this.notBefore, this.notAfter, RANDOM);
			return new HeldSvid(leaf, key, List.of(root.certificate()));
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
