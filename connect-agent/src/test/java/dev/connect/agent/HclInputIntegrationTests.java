package dev.connect.agent;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code config write} and {@code services register} read HCL as consul does, against a real agent.
 */
class HclInputIntegrationTests {

	@TempDir
	Path files;

	private CliSession cli;

	@BeforeEach
	void startAgent() {
		this.cli = CliSession.start();
	}

	@AfterEach
	void stopAgent() {
		this.cli.close();
	}

	@Test
	void aConfigEntryWrittenInHclIsStoredAndApplied() throws Exception {
		Path entry = Files.writeString(this.files.resolve("api.hcl"), """
				Kind = "service-intentions"
				Name = "api"
				Sources {
				  Name   = "web"
				  Action = "allow"
				}
				Sources {
				  Name   = "batch"
				  Action = "deny"
				}
				""");
		assertThat(this.cli.run("config", "write", entry.toString())).as(this.cli.err()).isZero();
		assertThat(this.cli.out()).isEqualTo("Config entry written: service-intentions/api\n");
		assertThat(this.cli.run("intention", "check", "web", "api")).isZero();
		assertThat(this.cli.run("intention", "check", "batch", "api")).isEqualTo(1);
		JsonNode stored = get("/v1/config/service-intentions/api");
		assertThat(stored.get("Sources")).hasSize(2);
	}

	@Test
	void aConfigEntryFromStandardInputMayBeHclAndBadHclNamesLineAndColumn() throws Exception {
		assertThat(this.cli.runWithInput("Kind = \"service-defaults\"\nName = \"api\"\nProtocol = \"http\"\n", "config",
				"write", "-")).as(this.cli.err()).isZero();
		assertThat(get("/v1/config/service-defaults/api").get("Protocol").asString()).isEqualTo("http");
		assertThat(this.cli.runWithInput("Kind = \"mesh\"\nName mesh\n", "config", "write", "-")).isEqualTo(1);
		assertThat(this.cli.err())
			.isEqualTo("Failed to decode config entry input: At 2:6: expected '=' or '{' after \"Name\"\n");
	}

	@Test
	void aServiceDefinitionInHclIsRegisteredWithItsCheck() throws Exception {
		Path service = Files.writeString(this.files.resolve("web.hcl"), """
				service {
				  id   = "web-1"
				  name = "web"
				  port = 8080
				  tags = ["v1"]
				  check {
				    id  = "web-ttl"
				    ttl = "10m"
				  }
				}
				""");
		assertThat(this.cli.run("services", "register", service.toString())).as(this.cli.err()).isZero();
		JsonNode registered = get("/v1/agent/service/web-1");
		assertThat(registered.get("Port").asInt()).isEqualTo(8080);
		assertThat(registered.get("Tags").get(0).asString()).isEqualTo("v1");
		assertThat(get("/v1/agent/checks").has("web-ttl")).isTrue();
	}

	private JsonNode get(String path) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.cli.agent().httpAddress() + path)).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
		return JsonMapper.builder().build().readTree(response.body());
	}

}
