package dev.connect.agent;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.connect.pki.PeerRole;
import dev.connect.pki.Pem;
import dev.connect.pki.SvidValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataDirIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newHttpClient();

	@TempDir
	Path dataDir;

	private DevAgentSettings settings() {
		return DevAgentSettings.defaults().withHttpPort(0).withDataDir(this.dataDir);
	}

	@Test
	void caIntentionsAndServicesSurviveARestart() throws Exception {
		String trustDomain;
		JsonNode rootsBefore;
		JsonNode intentionBefore;
		String leafPem;
		long indexBefore;
		try (DevAgent agent = DevAgent.start(settings())) {
			trustDomain = agent.trustDomain().name();
			send(agent, "PUT", "/v1/connect/ca/configuration",
					"{\"Provider\":\"consul\",\"Config\":{\"PrivateKeyType\":\"ec\",\"PrivateKeyBits\":384}}");
			send(agent, "PUT", "/v1/connect/intentions/exact?source=web&destination=db", "{\"Action\":\"allow\"}");
			send(agent, "PUT", "/v1/agent/service/register",
					"{\"ID\":\"db-1\",\"Name\":\"db\",\"Port\":5432,\"Connect\":{\"Native\":true}}");
			leafPem = json(send(agent, "GET", "/v1/agent/connect/ca/leaf/web", null)).get("CertPEM").asString();
			rootsBefore = json(send(agent, "GET", "/v1/agent/connect/ca/roots", null));
			intentionBefore = json(send(agent, "GET", "/v1/connect/intentions/exact?source=web&destination=db", null));
			indexBefore = Long.parseLong(send(agent, "GET", "/v1/agent/connect/ca/roots", null).headers()
				.firstValue("X-Consul-Index").orElseThrow());
		}
		try (DevAgent agent = DevAgent.start(settings())) {
			assertThat(agent.trustDomain().name()).isEqualTo(trustDomain);
			HttpResponse<String> roots = send(agent, "GET", "/v1/agent/connect/ca/roots", null);
			JsonNode rootsAfter = json(roots);
			assertThat(ids(rootsAfter)).isEqualTo(ids(rootsBefore)).hasSize(2);
			assertThat(rootsAfter.get("ActiveRootID")).isEqualTo(rootsBefore.get("ActiveRootID"));
			assertThat(Long.parseLong(roots.headers().firstValue("X-Consul-Index").orElseThrow()))
				.as("indexes never go backwards across a restart").isGreaterThan(indexBefore);
			JsonNode intention = json(send(agent, "GET", "/v1/connect/intentions/exact?source=web&destination=db", null));
			assertThat(intention).isEqualTo(intentionBefore);
			assertThat(json(send(agent, "GET", "/v1/health/connect/db", null)).get(0).get("Service").get("ID").asString())
				.isEqualTo("db-1");
			List<java.security.cert.X509Certificate> trusted = new ArrayList<>();
			rootsAfter.get("Roots").forEach((root) -> trusted.addAll(Pem.parseCertificates(root.get("RootCert").asString())));
			assertThat(SvidValidator.of(trusted, Clock.systemUTC()).validate(Pem.parseCertificates(leafPem), PeerRole.CLIENT)
				.path()).endsWith("/svc/web");
			JsonNode leafAfter = json(send(agent, "GET", "/v1/agent/connect/ca/leaf/web", null));
			assertThat(Pem.parseCertificates(leafAfter.get("CertPEM").asString()).get(0).getSerialNumber())
				.as("serials keep counting").isGreaterThan(Pem.parseCertificates(leafPem).get(0).getSerialNumber());
		}
	}

	@Test
	void caFileIsReadableByTheOwnerOnlyAndHoldsNoPlaintextInAnswers() throws Exception {
		try (DevAgent agent = DevAgent.start(settings())) {
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(this.dataDir.resolve("ca.json"))))
				.isEqualTo("rw-------");
			assertThat(Files.readString(this.dataDir.resolve("ca.json"))).contains("PRIVATE KEY");
			assertThat(send(agent, "GET", "/v1/connect/ca/configuration", null).body()).doesNotContain("PRIVATE KEY");
		}
	}

	@Test
	void corruptCaFileStopsStartUpAndIsLeftAsItWas() throws Exception {
		DevAgent.start(settings()).close();
		Files.writeString(this.dataDir.resolve("ca.json"), "{ not json");
		assertThatThrownBy(() -> DevAgent.start(settings())).isInstanceOf(IllegalStateException.class)
			.hasMessageStartingWith("Unable to start from data dir '" + this.dataDir + "': 'ca.json' cannot be read (")
			.hasMessageEndingWith("The agent does not replace state it cannot read: move the directory aside to "
					+ "start with a new CA, or restore the file.");
		assertThat(Files.readString(this.dataDir.resolve("ca.json"))).isEqualTo("{ not json");
	}

	@Test
	void caFileWhoseKeyDoesNotMatchItsRootIsRefused() throws Exception {
		DevAgent.start(settings()).close();
		Path ca = this.dataDir.resolve("ca.json");
		JsonNode state = JSON.readTree(Files.readString(ca));
		java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
		generator.initialize(256);
		String otherKey = Pem.encodePkcs8(generator.generateKeyPair().getPrivate());
		((tools.jackson.databind.node.ObjectNode) state.get("roots").get(0)).put("privateKeyPem", otherKey);
		Files.writeString(ca, JSON.writeValueAsString(state));
		assertThatThrownBy(() -> DevAgent.start(settings())).hasMessageContaining("'ca.json' cannot be read (CA state "
				+ "is inconsistent: the key stored for root ");
	}

	@Test
	void commandLineExitsOneWithTheMessageWhenTheDataDirIsCorrupt() throws Exception {
		DevAgent.start(settings()).close();
		Files.writeString(this.dataDir.resolve("intentions.json"), "[{\"Precedence\": \"high\"");
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int status = DevAgentMain.run(new String[] { "agent", "-dev", "-http-port", "0", "-data-dir",
				this.dataDir.toString() }, Map.of(), new PrintStream(new ByteArrayOutputStream()),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		assertThat(status).isEqualTo(1);
		assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("Error: Unable to start from data dir")
			.contains("'intentions.json' cannot be read");
	}

	private static List<String> ids(JsonNode roots) {
		List<String> ids = new ArrayList<>();
		roots.get("Roots").forEach((root) -> ids.add(root.get("ID").asString()));
		return ids;
	}

	private HttpResponse<String> send(DevAgent agent, String method, String path, String body) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(agent.httpAddress() + path))
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody())
			.build();
		HttpResponse<String> response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(200);
		return response;
	}

	private static JsonNode json(HttpResponse<String> response) {
		return JSON.readTree(response.body());
	}

}
