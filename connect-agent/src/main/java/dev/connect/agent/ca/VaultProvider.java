package dev.connect.agent.ca;

import java.net.http.HttpClient;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.connect.pki.Pem;
import org.jspecify.annotations.Nullable;

/**
 * The {@code vault} provider: Vault's PKI secrets engine holds the root and intermediate keys, and signs leaves from
 * CSRs the agent makes (the leaf key never leaves the agent). The calls are Consul's ({@code provider_vault.go}):
 * <ol>
 * <li>Configure: log in ({@code AuthMethod}) or take {@code Token}, {@code auth/token/lookup-self}; mount
 * {@code RootPKIPath} when {@code <root>ca/pem} answers 404 and generate its root when it is empty (an existing root
 * is kept); mount or tune {@code IntermediatePKIPath}; write the {@code leaf-cert} role; make the intermediate
 * ({@link VaultIntermediate}).</li>
 * <li>{@link #sign}: {@code <int>sign/leaf-cert}; the reply must hold {@code certificate} and {@code issuing_ca}.</li>
 * <li>{@link #crossSign}: {@code <root>root/sign-self-issued}.</li>
 * <li>{@link #renewIntermediate}: the token's upkeep, and a new intermediate at half of the current one's
 * lifetime.</li>
 * <li>{@link #cleanup}: {@code DELETE sys/mounts/<int>} when a provider of another name replaces this one.</li>
 * </ol>
 * While Vault cannot be reached, signing fails fast for a backoff of 1 s doubling up to 5 s (Consul's login retry
 * range) before Vault is tried again; the agent serves its cached leaves meanwhile.
 */
final class VaultProvider implements CaProvider {

	static final String NAME = "vault";

	static final String LEAF_ROLE = "leaf-cert";

	private static final System.Logger logger = System.getLogger(VaultProvider.class.getName());

	private final ProviderContext context;

	private final VaultSettings settings;

	private final VaultClient client;

	private final VaultAuth auth;

	private final SigningRoot root;

	private final VaultBackoff backoff;

	private volatile X509Certificate intermediate;

	private VaultProvider(ProviderContext context, VaultSettings settings, VaultClient client, VaultAuth auth,
			SigningRoot root, X509Certificate intermediate) {
		this.context = context;
		this.settings = settings;
		this.client = client;
		this.auth = auth;
		this.root = root;
		this.intermediate = intermediate;
		this.backoff = new VaultBackoff(context.clock());
	}

	static CaProvider configure(ProviderContext context, ProviderConfig config) {
		VaultSettings settings = VaultSettings.of(config);
		VaultAuth auth = new VaultAuth(settings, context.clock());
		VaultClient client = client(settings, auth);
		try {
			if (auth.canLogIn()) {
				auth.logIn();
			}
			else {
				auth.lookUp();
			}
			X509Certificate rootCertificate = root(context, settings, client);
			VaultIntermediate.mount(context, settings, client);
			X509Certificate intermediate = VaultIntermediate.generate(context, settings, client);
			return new VaultProvider(context, settings, client, auth,
					SigningRoot.of(rootCertificate, null, List.of(), false, null), intermediate);
		}
		catch (VaultClient.VaultCallException ex) {
			throw new IllegalArgumentException("Unable to configure the vault provider: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Resumes over the active root kept in the data directory; Vault is reached only when the provider next signs.
	 */
	static CaProvider resume(ProviderContext context, ProviderConfig config, SigningRoot active) {
		VaultSettings settings = VaultSettings.of(config);
		List<X509Certificate> intermediates = active.root().intermediates();
		if (intermediates.isEmpty()) {
			throw new IllegalArgumentException("CA state is inconsistent: provider vault needs the intermediate of the "
					+ "active root '" + active.root().id() + "', which was not kept");
		}
		VaultAuth auth = new VaultAuth(settings, context.clock());
		VaultProvider provider = new VaultProvider(context, settings, client(settings, auth), auth, active,
				intermediates.get(intermediates.size() - 1));
		provider.backoff.resumed();
		return provider;
	}

	private static VaultClient client(VaultSettings settings, VaultAuth auth) {
		HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
		if ("https".equals(settings.address().getScheme())) {
			http.sslContext(VaultTls.context(settings.tls())).sslParameters(VaultTls.parameters(settings.tls()));
		}
		VaultClient client = new VaultClient(settings.address(), http.build(), auth);
		auth.attach(client);
		return client;
	}

	/** The root: mounted and generated where needed, an existing one kept; it must name the trust domain. */
	private static X509Certificate root(ProviderContext context, VaultSettings settings, VaultClient client) {
		String namespace = settings.rootPkiNamespace();
		String path = settings.rootPkiPath();
		String pem = client.readText(namespace, path + "ca/pem");
		if (pem == null) {
			client.write(namespace, "sys/mounts/" + path, Map.of("type", "pki", "config",
					Map.of("max_lease_ttl", seconds(context.config().rootCertTtl()))));
		}
		if (pem == null || pem.isBlank()) {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("common_name", commonName(context));
			body.put("uri_sans", context.trustDomain().id().toString());
			body.put("key_type", context.config().privateKeyType());
			body.put("key_bits", context.config().privateKeyBits());
			body.put("ttl", seconds(context.config().rootCertTtl()));
			client.write(namespace, path + "root/generate/internal", body);
			pem = client.readText(namespace, path + "ca/pem");
		}
		List<X509Certificate> certificates = Pem.parseCertificates((pem != null) ? pem : "");
		if (certificates.isEmpty()) {
			throw new IllegalArgumentException("RootPKIPath '" + path + "' has no root after generating one");
		}
		X509Certificate certificate = certificates.get(0);
		String uri = context.trustDomain().id().toString();
		if (!VaultIntermediate.uris(certificate).contains(uri)) {
			throw new IllegalArgumentException("RootPKIPath '" + path + "' holds a root that does not name this "
					+ "agent's trust domain '" + uri + "' as a URI SAN; give an empty mount or one this agent set up");
		}
		return certificate;
	}

	/** Consul's {@code connect.CACN}: {@code pri-<random>.vault.ca.<cluster-id[:8]>.consul}. */
	static String commonName(ProviderContext context) {
		byte[] random = new byte[4];
		context.random().nextBytes(random);
		return "pri-" + HexFormat.of().formatHex(random) + ".vault.ca." + context.trustDomain().name().substring(0, 8)
				+ ".consul";
	}

	static String seconds(Duration duration) {
		return duration.toSeconds() + "s";
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
		return List.of(this.intermediate);
	}

	@Override
	public X509Certificate sign(LeafCsr csr, Duration ttl) {
		this.backoff.check(this.settings.address());
		try {
			this.auth.keepAlive();
			Map<String, Object> reply = this.client.write(this.settings.intermediatePkiNamespace(),
					this.settings.intermediatePkiPath() + "sign/" + LEAF_ROLE,
					Map.of("csr", VaultIntermediate.pem(csr.csr()), "ttl", seconds(ttl)));
			this.backoff.succeeded();
			Object certificate = reply.get("certificate");
			if (certificate == null || reply.get("issuing_ca") == null) {
				throw new IllegalStateException("Vault answered " + this.settings.intermediatePkiPath() + "sign/"
						+ LEAF_ROLE + " without certificate and issuing_ca");
			}
			return Pem.parseCertificates(certificate.toString()).get(0);
		}
		catch (VaultClient.VaultCallException ex) {
			this.backoff.failed(ex);
			throw new IllegalStateException("Unable to sign a leaf for '" + csr.identity() + "' with Vault: "
					+ ex.getMessage(), ex);
		}
	}

	@Override
	public boolean supportsCrossSigning() {
		return true;
	}

	@Override
	public X509Certificate crossSign(X509Certificate newRoot) {
		try {
			this.auth.keepAlive();
			Map<String, Object> reply = this.client.write(this.settings.rootPkiNamespace(),
					this.settings.rootPkiPath() + "root/sign-self-issued", Map.of("certificate", Pem.encode(newRoot)));
			return Pem.parseCertificates(String.valueOf(reply.get("certificate"))).get(0);
		}
		catch (VaultClient.VaultCallException ex) {
			throw new IllegalArgumentException("Unable to cross-sign the new root with Vault: " + ex.getMessage(), ex);
		}
	}

	@Override
	public @Nullable List<X509Certificate> renewIntermediate(Instant now) {
		try {
			this.auth.keepAlive();
			X509Certificate current = this.intermediate;
			Instant from = current.getNotBefore().toInstant();
			Duration lifetime = Duration.between(from, current.getNotAfter().toInstant());
			if (now.isBefore(from.plus(lifetime.dividedBy(2)))) {
				return null;
			}
			this.intermediate = VaultIntermediate.generate(this.context, this.settings, this.client);
			return List.of(this.intermediate);
		}
		catch (VaultClient.VaultCallException | IllegalArgumentException ex) {
			logger.log(System.Logger.Level.WARNING, "Vault upkeep failed, will retry: {0}", ex.getMessage());
			return null;
		}
	}

	@Override
	public void cleanup(boolean providerTypeChange) {
		if (!providerTypeChange) {
			// Another vault configuration may use the same intermediate mount.
			return;
		}
		try {
			this.client.delete(this.settings.intermediatePkiNamespace(),
					"sys/mounts/" + this.settings.intermediatePkiPath());
		}
		catch (VaultClient.VaultCallException ex) {
			logger.log(System.Logger.Level.WARNING, "Unable to delete the intermediate mount after the vault provider "
					+ "was replaced: {0}", ex.getMessage());
		}
	}

	@Override
	public String toString() {
		return "VaultProvider[" + this.settings + "]";
	}

}
