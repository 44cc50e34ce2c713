package dev.connect.ca;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.identity.SpiffeId;
import dev.connect.pki.InvalidSvidException;
import dev.connect.pki.PeerRole;
import dev.connect.pki.Pem;
import dev.connect.pki.SvidValidator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** A dev agent on port 0 driven through its HTTP API, as an operator or a client would. */
final class CaAgent implements AutoCloseable {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private final DevAgent agent;

	private final Clock clock;

	private final HttpClient http = HttpClient.newHttpClient();

	private CaAgent(DevAgent agent, Clock clock) {
		this.agent = agent;
		this.clock = clock;
	}

	static CaAgent start(Clock clock) {
		return start(clock, null);
	}

	/** An agent keeping its state in the directory, when one is given. */
	static CaAgent start(Clock clock, java.nio.file.Path dataDir) {
		return new CaAgent(DevAgent.start(DevAgentSettings.defaults().withHttpPort(0).withDataDir(dataDir), clock,
				new SecureRandom()), clock);
	}

	DevAgent agent() {
		return this.agent;
	}

	HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(uri(path)).GET());
	}

	HttpResponse<String> put(String path, String body) {
		return send(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.ofString(body)));
	}

	/** {@code PUT /v1/connect/ca/configuration}. */
	HttpResponse<String> configure(String provider, Map<String, Object> config) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("Provider", provider);
		body.put("Config", config);
		return put("/v1/connect/ca/configuration", JSON.writeValueAsString(body));
	}

	/** The vault provider's settings for this Vault (its address left out when null), with the token or auth method. */
	static Map<String, Object> vaultConfig(TestVault vault, String key, Object value) {
		Map<String, Object> config = new LinkedHashMap<>();
		if (vault != null) {
			config.put("Address", vault.address().toString());
		}
		config.put(key, value);
		config.put("RootPKIPath", "connect-root");
		config.put("IntermediatePKIPath", "connect-intermediate");
		return config;
	}

	JsonNode json(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	JsonNode roots() {
		return json(get("/v1/connect/ca/roots"));
	}

	X509Certificate activeRoot() {
		JsonNode roots = roots();
		for (JsonNode root : roots.get("Roots")) {
			if (root.get("Active").asBoolean()) {
				return Pem.parseCertificates(root.get("RootCert").asString()).get(0);
			}
		}
		throw new AssertionError("no active root in " + roots);
	}

	List<X509Certificate> publishedRoots() {
		List<X509Certificate> roots = new ArrayList<>();
		for (JsonNode root : roots().get("Roots")) {
			roots.add(Pem.parseCertificates(root.get("RootCert").asString()).get(0));
		}
		return roots;
	}

	/** The leaf chain of {@code CertPEM}, leaf first. */
	List<X509Certificate> leaf(String service) {
		return Pem.parseCertificates(json(get("/v1/agent/connect/ca/leaf/" + service)).get("CertPEM").asString());
	}

	/** Validates a chain as every client of the mesh does: against the published roots. */
	SpiffeId validate(List<X509Certificate> chain) throws InvalidSvidException {
		return SvidValidator.of(publishedRoots(), this.clock).validate(chain, PeerRole.SERVER);
	}

	private URI uri(String path) {
		return URI.create(this.agent.httpAddress() + path);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException("Unable to call the agent", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.agent.close();
	}

}
