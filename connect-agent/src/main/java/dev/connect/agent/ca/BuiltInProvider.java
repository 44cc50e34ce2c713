package dev.connect.agent.ca;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The built-in {@code consul} provider: the root and its key are held by the agent, and the root signs leaves
 * itself, without an intermediate. Its root is, by the settings:
 * <ul>
 * <li>no {@code RootCert} and no {@code PrivateKey}: a new key of {@code PrivateKeyType}/{@code PrivateKeyBits} and a
 * root made for it ({@link RootTemplate});</li>
 * <li>{@code PrivateKey} alone: a root made for that key;</li>
 * <li>{@code RootCert} and {@code PrivateKey}: the operator's own root, checked by {@link OwnRoot};</li>
 * <li>{@code RootCert} alone: refused with Consul's message;</li>
 * <li>{@code IntermediateCerts} with {@code RootCert}: the own root's certificate from an upper CA and the chain
 * above it ({@link OwnRoot#intermediates}), which leaves carry; without {@code RootCert}: refused.</li>
 * </ul>
 * It can always cross-sign, since it holds its key.
 */
final class BuiltInProvider implements CaProvider {

	static final String NAME = "consul";

	static final String ROOT_CERT_WITHOUT_KEY = "must provide a private key when providing a root cert";

	private final ProviderContext context;

	static final String INTERMEDIATES_WITHOUT_ROOT = "IntermediateCerts needs RootCert and PrivateKey: they link "
			+ "the operator's own root to an upper root";

	private final SigningRoot root;

	private final List<X509Certificate> intermediates;

	private BuiltInProvider(ProviderContext context, SigningRoot root, List<X509Certificate> intermediates) {
		this.context = context;
		this.root = root;
		this.intermediates = List.copyOf(intermediates);
	}

	static CaProvider configure(ProviderContext context, ProviderConfig config) {
		String rootCert = config.string("RootCert", "root_cert");
		String privateKey = config.string("PrivateKey", "private_key");
		if (!rootCert.isEmpty() && privateKey.isEmpty()) {
			throw new IllegalArgumentException(ROOT_CERT_WITHOUT_KEY);
		}
		if (!rootCert.isEmpty()) {
			Instant now = context.clock().instant();
			SigningRoot root = OwnRoot.load(rootCert, privateKey, context.trustDomain(), now);
			List<X509Certificate> upper = OwnRoot.intermediates(config.strings("IntermediateCerts",
					"intermediate_certs"), root.root().certificate(), now);
			return new BuiltInProvider(context, root, upper);
		}
		if (!config.strings("IntermediateCerts", "intermediate_certs").isEmpty()) {
			throw new IllegalArgumentException(INTERMEDIATES_WITHOUT_ROOT);
		}
		CaConfig settings = context.config();
		KeyPair key = privateKey.isEmpty()
				? CaKeys.generate(settings.privateKeyType(), settings.privateKeyBits(), context.random())
				: OwnRoot.key(privateKey);
		return withKey(context, key);
	}

	/** A provider whose root is made for the given key. */
	static CaProvider withKey(ProviderContext context, KeyPair key) {
		Instant now = context.clock().instant();
		X509Certificate certificate = RootTemplate.selfSigned(key, context.trustDomain(),
				RootTemplate.commonName(context.trustDomain(), context.random()), context.serials().next(), now,
				context.config().rootCertTtl(), context.random());
		return over(context, SigningRoot.of(certificate, key, List.of(), false, null));
	}

	/**
	 * The provider over the active root after a restart; the root's key must have been kept.
	 * @throws IllegalArgumentException when the data directory kept no key for the root
	 */
	static CaProvider resume(ProviderContext context, ProviderConfig config, SigningRoot active) {
		if (active.keyPair() == null) {
			throw new IllegalArgumentException("CA state is inconsistent: provider consul needs the key of the "
					+ "active root '" + active.root().id() + "', which was not kept");
		}
		return new BuiltInProvider(context, active, List.of());
	}

	/** A provider over a root the CA already has, after a restart. */
	static CaProvider over(ProviderContext context, SigningRoot root) {
		return new BuiltInProvider(context, root, List.of());
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public SigningRoot root() {
		return this.root;
	}

	@Override
	public List<X509Certificate> generateIntermediate() {
		return this.intermediates;
	}

	@Override
	public X509Certificate sign(LeafCsr csr, Duration ttl) {
		return LeafTemplate.sign(csr.identity(), csr.publicKey(), this.context.serials().next(),
				this.context.clock().instant(), ttl, this.root, this.context.random());
	}

	@Override
	public boolean supportsCrossSigning() {
		return true;
	}

	@Override
	public X509Certificate crossSign(X509Certificate newRoot) {
		return RootTemplate.crossSign(newRoot, this.root, this.context.serials().next(), this.context.clock().instant(),
				this.context.random());
	}

	/** Never the key: a provider may end up in a log line. */
	@Override
	public String toString() {
		return "BuiltInProvider[root=" + this.root.root().id() + "]";
	}

}
