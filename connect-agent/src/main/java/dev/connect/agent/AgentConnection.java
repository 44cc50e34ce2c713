package dev.connect.agent;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import dev.connect.pki.Pem;

import org.jspecify.annotations.Nullable;

/**
 * The CLI's calls to an agent: the address, the token sent as {@code X-Consul-Token}, and Consul's API client's
 * wording for an answer that is not 2xx ({@code Unexpected response code: 404 (<body>)}).
 */
final class AgentConnection {

	/** The flags every command takes, as consul's {@code HTTPFlags}. */
	static final List<String> FLAGS = List.of("http-addr", "token", "token-file", "ca-file", "datacenter");

	private final HttpClient client;

	private final String address;

	private final @Nullable String token;

	private final @Nullable String datacenter;

	AgentConnection(String address, @Nullable String token) {
		this(address, token, null, null);
	}

	private AgentConnection(String address, @Nullable String token, @Nullable String datacenter,
			@Nullable SSLContext tls) {
		this.address = address.contains("://") ? address : "http://" + address;
		this.token = token;
		this.datacenter = datacenter;
		HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
		this.client = ((tls != null) ? builder.sslContext(tls) : builder).build();
	}

	/**
	 * The connection consul's flags and environment describe: {@code -http-addr} or {@code CONSUL_HTTP_ADDR}
	 * (default {@code http://127.0.0.1:8500}); {@code -token}, else {@code CONSUL_HTTP_TOKEN}, else the file named by
	 * {@code -token-file} or {@code CONSUL_HTTP_TOKEN_FILE}; {@code -ca-file} or {@code CONSUL_CACERT} to trust an
	 * HTTPS agent; {@code -datacenter} sent as {@code ?dc=}.
	 */
	static AgentConnection of(Map<String, String> flags, Map<String, String> env) {
		String address = flags.getOrDefault("http-addr", env.getOrDefault("CONSUL_HTTP_ADDR", "http://127.0.0.1:8500"));
		String token = flags.getOrDefault("token", env.get("CONSUL_HTTP_TOKEN"));
		String tokenFile = flags.getOrDefault("token-file", env.get("CONSUL_HTTP_TOKEN_FILE"));
		if ((token == null || token.isEmpty()) && tokenFile != null && !tokenFile.isEmpty()) {
			token = read(tokenFile, "token file").trim();
		}
		String caFile = flags.getOrDefault("ca-file", env.get("CONSUL_CACERT"));
		SSLContext tls = (caFile != null && !caFile.isEmpty()) ? trusting(caFile) : null;
		return new AgentConnection(address, token, flags.get("datacenter"), tls);
	}

	private static String read(String file, String what) {
		try {
			return Files.readString(Path.of(file));
		}
		catch (IOException ex) {
			throw new DevAgentMain.UsageException("Unable to read the " + what + " '" + file + "': " + ex.getMessage());
		}
	}

	private static SSLContext trusting(String caFile) {
		try {
			KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
			store.load(null, null);
			List<X509Certificate> certificates = Pem.parseCertificates(read(caFile, "CA file"));
			for (int i = 0; i < certificates.size(); i++) {
				store.setCertificateEntry("ca-" + i, certificates.get(i));
			}
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(store);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trust.getTrustManagers(), null);
			return context;
		}
		catch (GeneralSecurityException | IOException | IllegalArgumentException ex) {
			throw new DevAgentMain.UsageException("Unable to use the CA file '" + caFile + "': " + ex.getMessage());
		}
	}

	String address() {
		return this.address;
	}

	/**
	 * Sends a request and answers the response, whatever its status.
	 * @throws DevAgentMain.UsageException when the agent cannot be reached
	 */
	HttpResponse<String> send(String method, String path, @Nullable String body) {
		String scoped = (this.datacenter == null || this.datacenter.isEmpty()) ? path
				: path + (path.contains("?") ? "&" : "?") + "dc=" + URLEncoder.encode(this.datacenter, StandardCharsets.UTF_8);
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.address + scoped))
			.timeout(Duration.ofSeconds(30))
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body)
					: HttpRequest.BodyPublishers.noBody());
		if (this.token != null && !this.token.isEmpty()) {
			request.header("X-Consul-Token", this.token);
		}
		try {
			return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new DevAgentMain.UsageException("Unable to reach the agent at " + this.address + ": " + ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DevAgentMain.UsageException("Interrupted while calling the agent at " + this.address);
		}
	}

	/** Consul's API client's error for an answer that is not 2xx, or {@code null} for a 2xx answer. */
	static @Nullable String unexpected(HttpResponse<String> response) {
		if (response.statusCode() / 100 == 2) {
			return null;
		}
		return "Unexpected response code: " + response.statusCode() + " (" + response.body().trim() + ")";
	}

}
