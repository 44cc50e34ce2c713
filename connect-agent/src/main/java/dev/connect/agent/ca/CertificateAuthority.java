package dev.connect.agent.ca;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.DoubleFunction;

import dev.connect.identity.ServiceIdentity;
import dev.connect.identity.TrustDomain;
import org.jspecify.annotations.Nullable;

/**
 * The dev agent's built-in CA, modelled on Consul's {@code consul} provider: it makes roots and signs leaves.
 * {@link CaStore} serves it with Consul's modify indexes; {@link CaSnapshot} is what the data directory keeps of
 * it. It is a development CA: its keys live in memory (or in the agent's data directory) and it must never be a
 * production CA.
 * <p>
 * Contract:
 * <ol>
 * <li>Creation generates a cluster id (random UUID), the trust domain {@code <cluster-id>.consul} and one active
 * root with the configured key type (see {@link RootTemplate}).</li>
 * <li>{@link #issueLeaf(String)} takes only a service name. The identity is built here from the CA's own trust
 * domain and datacenter in the default namespace, so nothing a caller asks for beyond the name reaches the
 * certificate, and a name that is not a valid SPIFFE path segment is refused. Each leaf has a fresh EC P-256
 * key, is signed by the active root (see {@link LeafTemplate}) and carries the active root's intermediates.</li>
 * <li>Serials come from one counter for roots, cross-signed certificates and leaves: unique and increasing under
 * concurrent issuance.</li>
 * <li>Signing is limited to {@link CaConfig#csrMaxPerSecond()}, with Consul's wait-then-fail behaviour
 * ({@link RateLimitedException}).</li>
 * <li>{@link #rotate()} makes a new root with a new key, cross-signed by the previous active root's key; the new
 * root becomes active and the old one stays in {@link #roots()}, inactive, until {@link #pruneRoots()} finds it
 * rotated out for more than twice the leaf TTL.</li>
 * <li>Leaves are signed by the active {@link CaProvider} (the built-in one unless
 * {@link #reconfigure(CaConfig, ProviderConfig)} chose another), from a CSR the CA makes with the leaf's key; a
 * switch of provider or root is a rotation as in rule 5, cross-signed by the current provider, or, where it cannot
 * cross-sign, only with {@code ForceWithoutCrossSigning}.</li>
 * </ol>
 * All methods are thread-safe. Reads see one consistent state; rotations and configuration changes are
 * serialized.
 */
public final class CertificateAuthority {

	/** Consul's refusal to rotate away from a provider that cannot cross-sign without the force flag. */
	static final String CROSS_SIGNING_REQUIRED = AuthorityState.CROSS_SIGNING_REQUIRED;

	private final UUID clusterId;

	private final TrustDomain trustDomain;

	private final String datacenter;

	private final Clock clock;

	private final SecureRandom random;

	private final SerialNumbers serials;

	private final DoubleFunction<CsrRateLimiter> limiters;

	private volatile AuthorityState state;

	private CertificateAuthority(UUID clusterId, String datacenter, CaConfig config, Clock clock, SecureRandom random,
			DoubleFunction<CsrRateLimiter> limiters) {
		this.clusterId = clusterId;
		this.trustDomain = TrustDomain.ofCluster(clusterId);
		this.datacenter = datacenter;
		this.clock = clock;
		this.random = random;
		this.serials = new SerialNumbers(0);
		this.limiters = limiters;
		CaProvider provider = BuiltInProvider.configure(context(config), ProviderConfig.builtIn());
		this.state = new AuthorityState(config, List.of(provider.root().activated(List.of())),
				limiters.apply(config.csrMaxPerSecond()), provider, ProviderConfig.builtIn());
	}

	private CertificateAuthority(UUID clusterId, String datacenter, Clock clock, SecureRandom random,
			DoubleFunction<CsrRateLimiter> limiters, SerialNumbers serials, CaConfig config, List<SigningRoot> roots,
			ProviderConfig provider) {
		this.clusterId = clusterId;
		this.trustDomain = TrustDomain.ofCluster(clusterId);
		this.datacenter = datacenter;
		this.clock = clock;
		this.random = random;
		this.serials = serials;
		this.limiters = limiters;
		SigningRoot active = roots.stream().filter((root) -> root.root().active()).findFirst().orElseThrow();
		this.state = new AuthorityState(config, roots, limiters.apply(config.csrMaxPerSecond()),
				CaProviders.resume(context(config), provider, active), provider);
	}

	/**
	 * Brings back a CA from a snapshot, checking that it is whole: every certificate and key parses, each key
	 * belongs to its root, every root names the snapshot's trust domain, and exactly one root is active. The
	 * provider the snapshot names resumes over the active root without generating anything (a Vault provider
	 * reaches Vault only when it next signs).
	 * @param snapshot the snapshot
	 * @param datacenter the datacenter named in leaf identities
	 * @param clock the clock
	 * @param random the source of keys and randomness
	 * @return the CA, with the same trust domain, roots and serial counter
	 * @throws IllegalArgumentException naming what is wrong when the snapshot is not a whole CA
	 */
	public static CertificateAuthority restore(CaSnapshot snapshot, String datacenter, Clock clock,
			SecureRandom random) {
		List<SigningRoot> roots = CaSnapshots.roots(snapshot);
		SerialNumbers serials = new SerialNumbers(CaSnapshots.lastSerial(snapshot, roots));
		return new CertificateAuthority(snapshot.clusterId(), datacenter, clock, random, CsrRateLimiter::system, serials,
				snapshot.config(), roots, snapshot.providerSettings());
	}

	/**
	 * Captures the CA for the data directory, private keys included.
	 * @return the snapshot
	 */
	public CaSnapshot snapshot() {
		synchronized (this) {
			AuthorityState current = this.state;
			return CaSnapshots.capture(this.clusterId, current.config(), current.roots(), this.serials.last(),
					current.providerConfig());
		}
	}

	/**
	 * Creates a CA with a new cluster id and root.
	 * @param config the CA settings
	 * @param datacenter the datacenter named in leaf identities, for example {@code dc1}
	 * @param clock the clock for validity periods and root pruning
	 * @param random the source of keys, serial-free randomness and the cluster id
	 * @return the CA
	 */
	public static CertificateAuthority create(CaConfig config, String datacenter, Clock clock, SecureRandom random) {
		return create(config, datacenter, clock, random, CsrRateLimiter::system);
	}

	static CertificateAuthority create(CaConfig config, String datacenter, Clock clock, SecureRandom random,
			DoubleFunction<CsrRateLimiter> limiters) {
		Objects.requireNonNull(config, "'config' must not be null");
		Objects.requireNonNull(datacenter, "'datacenter' must not be null");
		Objects.requireNonNull(clock, "'clock' must not be null");
		Objects.requireNonNull(random, "'random' must not be null");
		// Fail on a bad datacenter name now rather than at the first leaf.
		ServiceIdentity.of(TrustDomain.parse("check.consul"), datacenter, "check");
		return new CertificateAuthority(randomUuid(random), datacenter, config, clock, random, limiters);
	}

	private static UUID randomUuid(SecureRandom random) {
		byte[] bytes = new byte[16];
		random.nextBytes(bytes);
		bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
		bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
		long high = 0;
		long low = 0;
		for (int i = 0; i < 8; i++) {
			high = (high << 8) | (bytes[i] & 0xff);
			low = (low << 8) | (bytes[i + 8] & 0xff);
		}
		return new UUID(high, low);
	}

	/**
	 * Returns the cluster id, the first part of the trust domain.
	 * @return the cluster id
	 */
	public UUID clusterId() {
		return this.clusterId;
	}

	/**
	 * Returns the trust domain, {@code <cluster-id>.consul}.
	 * @return the trust domain
	 */
	public TrustDomain trustDomain() {
		return this.trustDomain;
	}

	/**
	 * Returns the datacenter named in leaf identities.
	 * @return the datacenter
	 */
	public String datacenter() {
		return this.datacenter;
	}

	/**
	 * Returns the current settings.
	 * @return the configuration
	 */
	public CaConfig config() {
		return this.state.config();
	}

	/**
	 * Returns the active provider's name and settings as configured; they may hold secrets (a private key, a Vault
	 * token), so callers serve only {@link ProviderConfig#nonSecret()}.
	 * @return the provider configuration
	 */
	public ProviderConfig providerConfig() {
		return this.state.providerConfig();
	}

	/**
	 * Replaces the active provider's leaf-signing intermediate when half of its lifetime has passed (Consul's rule);
	 * the active root then carries the new intermediate, and leaves signed from now on chain through it.
	 * @return whether the intermediate was renewed, which changes the published roots
	 */
	public boolean renewIntermediate() {
		synchronized (this) {
			AuthorityState current = this.state;
			List<X509Certificate> before = current.provider().generateIntermediate();
			List<X509Certificate> renewed = current.provider().renewIntermediate(this.clock.instant());
			if (renewed == null) {
				return false;
			}
			this.state = current.withIntermediates(before, renewed);
			return true;
		}
	}

	/**
	 * Returns every trusted root, oldest first; exactly one is active.
	 * @return the roots
	 */
	public List<RootCertificate> roots() {
		return this.state.roots().stream().map(SigningRoot::root).toList();
	}

	/**
	 * Returns the root that signs new leaves.
	 * @return the active root
	 */
	public RootCertificate activeRoot() {
		return this.state.active().root();
	}

	/**
	 * Issues a leaf for a service of this CA's trust domain and datacenter, in the default namespace.
	 * @param service the service name
	 * @return the leaf, its fresh key and intermediates
	 * @throws dev.connect.identity.InvalidIdentityException if the name is not a valid SPIFFE path segment
	 * @throws RateLimitedException if the signing rate limit is exceeded
	 * @throws IllegalStateException if the active root has expired
	 */
	public IssuedLeaf issueLeaf(String service) {
		ServiceIdentity identity = ServiceIdentity.of(this.trustDomain, this.datacenter, service);
		AuthorityState current = this.state;
		current.limiter().acquire();
		SigningRoot signer = current.active();
		Instant now = this.clock.instant();
		if (now.isAfter(signer.root().notAfter())) {
			throw new IllegalStateException("Active CA root '" + signer.root().id() + "' expired at "
					+ signer.root().notAfter() + "; rotate the CA to issue leaves");
		}
		KeyPair key = CaKeys.leafKey(this.random);
		X509Certificate certificate = current.provider()
			.sign(LeafCsr.of(identity, key, this.random), current.config().leafCertTtl());
		return new IssuedLeaf(identity, certificate, signer.root().intermediates(), key,
				signer.root().signingKeyId());
	}

	/**
	 * Rotates to a new root with a new key of the current settings, cross-signed by the active root.
	 * @return the new active root
	 */
	public RootCertificate rotate() {
		synchronized (this) {
			return rotate(this.state.config());
		}
	}

	/**
	 * Rotates to a new root made from a key the operator supplies (Consul's {@code PrivateKey} in the CA
	 * configuration), cross-signed by the active root.
	 * @param key the new root key, EC or RSA
	 * @return the new active root
	 */
	public RootCertificate rotate(KeyPair key) {
		Objects.requireNonNull(key, "'key' must not be null");
		synchronized (this) {
			return rotate(this.state.config(), key);
		}
	}

	/**
	 * Applies new settings. A new key type or size rotates the root; other changes apply to the next leaf.
	 * @param config the new settings
	 * @return whether the root was rotated
	 */
	public boolean updateConfig(CaConfig config) {
		return reconfigure(config, (KeyPair) null);
	}

	/**
	 * Applies new settings and, when a key is given, rotates to a root made from it (Consul's {@code PrivateKey}
	 * in the CA configuration). Without a key, a new key type or size rotates to a generated key.
	 * @param config the new settings
	 * @param key the new root key, or {@code null}
	 * @return whether the root was rotated
	 */
	public boolean reconfigure(CaConfig config, @Nullable KeyPair key) {
		Objects.requireNonNull(config, "'config' must not be null");
		synchronized (this) {
			if (key != null) {
				rotate(config, key);
				return true;
			}
			return reconfigure(config, this.state.providerConfig());
		}
	}

	/**
	 * Applies a CA configuration with its provider, as {@code PUT /v1/connect/ca/configuration} does. Another
	 * provider, another {@code RootCert} or {@code PrivateKey} than the last configuration's (given or dropped), or
	 * (for a generated root) another key type or size configures a new provider and rotates to its root when that
	 * root differs from the active one; other changes apply to the next leaf. The rotation cross-signs the new root with the current provider where it can
	 * cross-sign, and otherwise happens only with {@code ForceWithoutCrossSigning}.
	 * @param config the new settings
	 * @param provider the provider and its settings
	 * @return whether the root was rotated
	 * @throws IllegalArgumentException with Consul's message for an unknown provider or a rotation that needs
	 * {@code ForceWithoutCrossSigning}, or the provider's refusal of its settings; nothing changes
	 */
	public boolean reconfigure(CaConfig config, ProviderConfig provider) {
		Objects.requireNonNull(config, "'config' must not be null");
		Objects.requireNonNull(provider, "'provider' must not be null");
		synchronized (this) {
			AuthorityState current = this.state;
			boolean newRoot = !provider.sameRoot(current.providerConfig())
					|| (!provider.suppliesRoot() && !current.config().sameKeySettings(config))
					// A provider outside the agent (Vault) holds the TTLs in its role and intermediate: set them again.
					|| (!BuiltInProvider.NAME.equals(provider.provider()) && !current.config().equals(config));
			if (newRoot) {
				CaProvider next = CaProviders.configure(context(config), provider);
				if (!next.root().root().id().equals(current.active().root().id())) {
					rotateTo(config, next, provider);
					return true;
				}
				// Same root (a Vault root mount kept across a new token, say): the new provider signs from now on,
				// through its own intermediate.
				this.state = current.with(config, current.roots(), this.limiters, next, provider)
					.withIntermediates(current.provider().generateIntermediate(), next.generateIntermediate());
				return false;
			}
			this.state = current.with(config, current.roots(), this.limiters);
			return false;
		}
	}

	/**
	 * Drops inactive roots rotated out more than twice the leaf TTL ago: every leaf they signed has expired.
	 * @return the ids of the dropped roots
	 */
	public List<String> pruneRoots() {
		synchronized (this) {
			AuthorityState current = this.state;
			Instant cutoff = this.clock.instant().minus(current.config().leafCertTtl().multipliedBy(2));
			List<String> pruned = current.rotatedOutBefore(cutoff);
			if (!pruned.isEmpty()) {
				this.state = current.withRoots(current.roots()
					.stream()
					.filter((root) -> !pruned.contains(root.root().id()))
					.toList());
			}
			return List.copyOf(pruned);
		}
	}

	/** Must hold the monitor. */
	private RootCertificate rotate(CaConfig config) {
		return rotateTo(config, BuiltInProvider.configure(context(config), ProviderConfig.builtIn()),
				ProviderConfig.builtIn());
	}

	/** Must hold the monitor. */
	private RootCertificate rotate(CaConfig config, KeyPair key) {
		return rotateTo(config, BuiltInProvider.withKey(context(config), key), ProviderConfig.builtIn());
	}

	/**
	 * Makes the next provider's root the active one, cross-signed by the current provider where it can. Must hold
	 * the monitor.
	 */
	RootCertificate rotateTo(CaConfig config, CaProvider next, ProviderConfig settings) {
		AuthorityState current = this.state;
		this.state = current.rotatedTo(config, next, settings, this.clock.instant(), this.limiters);
		current.provider().cleanup(!current.provider().name().equals(next.name()));
		return this.state.active().root();
	}

	private ProviderContext context(CaConfig config) {
		return new ProviderContext(this.trustDomain, config, this.clock, this.random, this.serials);
	}

}
