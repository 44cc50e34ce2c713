package dev.connect.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A test server speaking the part of Vault's HTTP API that a Consul CA provider uses (the calls Consul's
 * {@code provider_vault.go} makes), for tests on machines where no {@code vault} binary can run. It is a test
 * server, not Vault: state lives in memory, policies are not enforced (every valid token may do everything, as
 * Vault's root token), and there is no storage, audit or lease revocation.
 * <p>
 * What it implements, with Vault's request and answer shapes ({@code data}, {@code auth}, {@code lease_duration},
 * {@code renewable}, {@code {"errors":[...]}} with 400, 403, 404 and 405):
 * <ul>
 * <li>tokens: {@code X-Vault-Token} on every call but logins and the CA certificates ({@code ca/pem},
 * {@code ca_chain}, {@code cert/ca_chain}), as Vault; {@code auth/token/lookup-self}, {@code auth/token/renew-self},
 * {@code auth/token/renew}; TTLs that expire (an expired token gets 403 {@code permission denied});</li>
 * <li>AppRole login, {@code auth/<mount>/login} with {@code role_id} and {@code secret_id};</li>
 * <li>mounts: {@code sys/mounts/<path>} (POST, DELETE), {@code sys/mounts/<path>/tune} (GET, POST), per
 * {@code X-Vault-Namespace};</li>
 * <li>PKI ({@link VaultPkiMount}): {@code ca/pem}, {@code ca_chain}, {@code cert/ca_chain}, {@code roles/<name>},
 * {@code root/generate/internal}, {@code intermediate/generate/internal}, {@code root/sign-intermediate},
 * {@code intermediate/set-signed}, {@code config/issuers}, {@code issuer/<id>}, {@code sign/<role>} and
 * {@code issue/<role>} (honouring the role's {@code allowed_uri_sans} and {@code max_ttl}),
 * {@code root/sign-self-issued}.</li>
 * </ul>
 * Test knobs: {@link #createToken}, {@link #expireNow}, {@link #addAppRole}, {@link #stopAnswering()} /
 * {@link #answerAgain()} and {@link #requests()}. It binds 127.0.0.1 on a free port; {@link #close()} stops it.
 * <pre>
 * try (VaultPkiTestServer vault = VaultPkiTestServer.start()) {
 *     String token = vault.createToken(Duration.ofHours(1), true);
 *     // "Provider":"vault", "Config":{"Address": vault.address(), "Token": token, ...}
 * }
 * </pre>
 */
public final class VaultPkiTestServer implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpServer server;

	private final ExecutorService executor;

	private final Clock clock;

	private final VaultTokens tokens;

	private final Map<String, VaultPkiMount> mounts = new LinkedHashMap<>();

	private final List<String> requests = new ArrayList<>();

	private volatile boolean answering = true;

	private final String scheme;

	private VaultPkiTestServer(Clock clock, @Nullable SSLContext tls, boolean needClientAuth) throws IOException {
		this.clock = clock;
		this.tokens = new VaultTokens(clock);
		this.scheme = (tls != null) ? "https" : "http";
		this.server = (tls != null) ? https(tls, needClientAuth) : HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.executor = Executors.newFixedThreadPool(4);
		this.server.setExecutor(this.executor);
		this.server.createContext("/v1/", this::handle);
		this.server.start();
	}

	/**
	 * Starts a server on 127.0.0.1 and a free port, with the system clock.
	 * @return the running server
	 */
	public static VaultPkiTestServer start() {
		return start(Clock.systemUTC());
	}

	/**
	 * Starts a server on 127.0.0.1 and a free port.
	 * @param clock the clock for token expiry and certificate validity
	 * @return the running server
	 */
	public static VaultPkiTestServer start(Clock clock) {
		try {
			return new VaultPkiTestServer(clock, null, false);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Unable to start the Vault PKI test server", ex);
		}
	}

	/**
	 * Starts a server speaking HTTPS on 127.0.0.1 and a free port, with the system clock: {@link #address()} is then
	 * {@code https://127.0.0.1:<port>}.
	 * @param tls the server's TLS context (its key manager presents the server certificate; its trust managers
	 * check client certificates)
	 * @param requireClientCertificate whether a client must present a certificate the context trusts
	 * @return the running server
	 */
	public static VaultPkiTestServer startHttps(SSLContext tls, boolean requireClientCertificate) {
		try {
			return new VaultPkiTestServer(Clock.systemUTC(), tls, requireClientCertificate);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Unable to start the Vault PKI test server", ex);
		}
	}

	/**
	 * Returns the address clients give as Vault's, {@code http://127.0.0.1:<port>} ({@code https} when started
	 * with {@link #startHttps}).
	 * @return the address
	 */
	public URI address() {
		return URI.create(this.scheme + "://127.0.0.1:" + this.server.getAddress().getPort());
	}

	/**
	 * Returns the root token: it never expires and cannot be renewed, as {@code vault server -dev}'s.
	 * @return the token
	 */
	public String rootToken() {
		return this.tokens.rootToken();
	}

	/**
	 * Creates a token, as {@code auth/token/create} would.
	 * @param ttl its lifetime, also the period a renewal grants
	 * @param renewable whether {@code renew-self} extends it
	 * @return the token
	 */
	public synchronized String createToken(Duration ttl, boolean renewable) {
		return this.tokens.create(ttl, renewable);
	}

	/**
	 * Makes a token expire now: every call with it is refused with 403 from here on, renewal included.
	 * @param token the token
	 */
	public synchronized void expireNow(String token) {
		this.tokens.expireNow(token);
	}

	/**
	 * Enables an AppRole login: {@code auth/<mountPath>/login} with these IDs answers a renewable token.
	 * @param mountPath the auth mount, {@code approle} as Vault's default
	 * @param roleId the role ID
	 * @param secretId the secret ID
	 * @param tokenTtl the lifetime of the tokens it gives
	 */
	public synchronized void addAppRole(String mountPath, String roleId, String secretId, Duration tokenTtl) {
		this.tokens.addAppRole(mountPath, roleId, secretId, tokenTtl);
	}

	/** Stops answering: every request's connection is closed without an answer, as if Vault were down. */
	public void stopAnswering() {
		this.answering = false;
	}

	/** Answers again after {@link #stopAnswering()}. */
	public void answerAgain() {
		this.answering = true;
	}

	/**
	 * Returns the requests answered so far, as {@code METHOD path} (path without {@code /v1/}), prefixed by
	 * {@code [namespace] } when {@code X-Vault-Namespace} was given.
	 * @return the requests, oldest first
	 */
	public synchronized List<String> requests() {
		return List.copyOf(this.requests);
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			if (!this.answering) {
				// The server closes the connection when a handler throws: the client sees no answer.
				throw new IOException("Vault PKI test server is not answering");
			}
			String path = exchange.getRequestURI().getPath().substring("/v1/".length());
			String namespace = namespace(exchange.getRequestHeaders().getFirst("X-Vault-Namespace"));
			String method = exchange.getRequestMethod();
			VaultAnswer answer;
			try {
				Map<String, Object> body = body(exchange.getRequestBody());
				synchronized (this) {
					this.requests.add((namespace.isEmpty() ? "" : "[" + namespace + "] ") + method + " " + path);
					answer = route(method, path, namespace, exchange.getRequestHeaders().getFirst("X-Vault-Token"), body);
				}
			}
			catch (VaultError ex) {
				answer = VaultAnswer.json(ex.status, Map.of("errors", List.of(ex.getMessage())));
			}
			answer.send(exchange);
		}
	}

	private VaultAnswer route(String method, String path, String namespace, @Nullable String token,
			Map<String, Object> body) {
		if (path.startsWith("auth/") && path.endsWith("/login") && !path.startsWith("auth/token/")) {
			return this.tokens.login(path.substring("auth/".length(), path.length() - "/login".length()), body);
		}
		// Vault serves a mount's CA certificates without a token.
		boolean unauthenticated = "GET".equals(method)
				&& (path.endsWith("/ca/pem") || path.endsWith("/ca_chain") || path.endsWith("/cert/ca_chain"));
		if (!unauthenticated) {
			this.tokens.authenticate(token);
		}
		switch (path) {
			case "auth/token/lookup-self" -> {
				return VaultAnswer.data(this.tokens.lookup(this.tokens.authenticate(token)));
			}
			case "auth/token/renew-self" -> {
				return this.tokens.renew(this.tokens.authenticate(token), body);
			}
			case "auth/token/renew" -> {
				return this.tokens.renew(this.tokens.authenticate(VaultParams.text(body, "token")), body);
			}
			default -> {
			}
		}
		if (path.startsWith("sys/mounts/")) {
			return mounts(method, path.substring("sys/mounts/".length()), namespace, body);
		}
		for (Map.Entry<String, VaultPkiMount> mount : this.mounts.entrySet()) {
			String prefix = namespace + "|";
			if (mount.getKey().startsWith(prefix) && path.startsWith(mount.getKey().substring(prefix.length()))) {
				String rest = path.substring(mount.getKey().length() - prefix.length());
				return VaultPkiRoutes.route(mount.getValue(), method, rest, body, this.clock.instant(), path);
			}
		}
		throw new VaultError(404, "no handler for route \"" + path + "\". route entry not found.");
	}

	private VaultAnswer mounts(String method, String rest, String namespace, Map<String, Object> body) {
		boolean tune = rest.endsWith("/tune");
		String path = (tune ? rest.substring(0, rest.length() - "/tune".length()) : rest).replaceAll("/+$", "") + "/";
		String key = namespace + "|" + path;
		VaultPkiMount mount = this.mounts.get(key);
		@SuppressWarnings("unchecked")
		Map<String, Object> config = (body.get("config") instanceof Map<?, ?> given) ? (Map<String, Object>) given : body;
		Duration maxLeaseTtl = VaultParams.duration(config.get("max_lease_ttl"), Duration.ofDays(32));
		if (tune) {
			if (mount == null) {
				throw new VaultError(400, "cannot tune '" + path + "' because no mount exists");
			}
			if ("GET".equals(method)) {
				return VaultAnswer.data(Map.of("max_lease_ttl", mount.maxLeaseTtl.toSeconds(), "default_lease_ttl", 0));
			}
			mount.maxLeaseTtl = maxLeaseTtl;
			return VaultAnswer.empty();
		}
		if ("DELETE".equals(method)) {
			this.mounts.remove(key);
			return VaultAnswer.empty();
		}
		if (mount != null) {
			throw new VaultError(400, "path is already in use at " + path);
		}
		if (!"pki".equals(VaultParams.text(body, "type"))) {
			throw new VaultError(400, "plugin not found in the catalog: " + VaultParams.text(body, "type"));
		}
		this.mounts.put(key, new VaultPkiMount(maxLeaseTtl));
		return VaultAnswer.empty();
	}

	private static HttpServer https(SSLContext tls, boolean needClientAuth) throws IOException {
		HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.setHttpsConfigurator(new HttpsConfigurator(tls) {

			@Override
			public void configure(HttpsParameters parameters) {
				SSLParameters ssl = tls.getDefaultSSLParameters();
				ssl.setNeedClientAuth(needClientAuth);
				parameters.setSSLParameters(ssl);
			}

		});
		return server;
	}

	private static String namespace(@Nullable String header) {
		return (header != null) ? header.replaceAll("^/+|/+$", "") : "";
	}

	private static Map<String, Object> body(InputStream in) throws IOException {
		byte[] bytes = in.readAllBytes();
		if (bytes.length == 0) {
			return Map.of();
		}
		try {
			return JSON.readValue(bytes, new TypeReference<Map<String, Object>>() {
			});
		}
		catch (RuntimeException ex) {
			throw new VaultError(400, "failed to parse JSON input: " + ex.getMessage());
		}
	}

}
