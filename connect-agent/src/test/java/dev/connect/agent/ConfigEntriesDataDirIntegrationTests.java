package dev.connect.agent;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigEntriesDataDirIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newHttpClient();

	@TempDir
	Path dataDir;

	private DevAgentSettings settings() {
		return DevAgentSettings.defaults().withHttpPort(0).withDataDir(this.dataDir);
	}

	@Test
	void configEntriesAndTheirIndexesSurviveARestart() throws Exception {
		JsonNode defaultsBefore;
		JsonNode meshBefore;
		JsonNode intentionsBefore;
		try (DevAgent agent = DevAgent.start(settings())) {
			send(agent, "PUT", "/v1/config", "{\"Kind\":\"service-defaults\",\"Name\":\"api\",\"Protocol\":\"http\","
					+ "\"Meta\":{\"team\":\"a\"}}");
			send(agent, "PUT", "/v1/config", "{\"Kind\":\"mesh\",\"HTTP\":{\"Incoming\":{\"RequestNormalization\":"
					+ "{\"MergeSlashes\":true}}}}");
			send(agent, "PUT", "/v1/config", "{\"Kind\":\"service-intentions\",\"Name\":\"api\",\"Sources\":["
					+ "{\"Name\":\"web\",\"Permissions\":[{\"Action\":\"allow\",\"HTTP\":{\"PathPrefix\":\"/v1\","
					+ "\"Methods\":[\"get\"]}}]},{\"Name\":\"*\",\"Action\":\"deny\"}]}");
			defaultsBefore = json(send(agent, "GET", "/v1/config/service-defaults/api", null));
			meshBefore = json(send(agent, "GET", "/v1/config/mesh/mesh", null));
			intentionsBefore = json(send(agent, "GET", "/v1/config/service-intentions/api", null));
		}
		assertThat(Files.exists(this.dataDir.resolve("config.json"))).isTrue();
		try (DevAgent agent = DevAgent.start(settings())) {
			assertThat(json(send(agent, "GET", "/v1/config/service-defaults/api", null))).isEqualTo(defaultsBefore);
			assertThat(json(send(agent, "GET", "/v1/config/mesh/mesh", null))).isEqualTo(meshBefore);
			JsonNode intentions = json(send(agent, "GET", "/v1/config/service-intentions/api", null));
			assertThat(intentions).isEqualTo(intentionsBefore);
			assertThat(intentions.get("Sources").get(0).get("Permissions").get(0).get("HTTP").get("Methods").get(0)
				.asString()).isEqualTo("GET");
		}
	}

	@Test
	void intentionsOfTheFormatBeforeConfigEntriesAreMigratedOnStart() throws Exception {
		Files.writeString(this.dataDir.resolve("intentions.json"), """
				[ {"Description":"","SourceNS":"default","SourceName":"web","DestinationNS":"default",
				   "DestinationName":"db","SourceType":"consul","Action":"allow","Precedence":9,
				   "CreateIndex":5,"ModifyIndex":5},
				  {"ID":"0b1f3c4e-8d2a-4c55-9a7e-2f6b1d9e0a11","Description":"legacy","SourceNS":"default",
				   "SourceName":"*","DestinationNS":"default","DestinationName":"db","SourceType":"consul",
				   "Action":"deny","Meta":{"owner":"ops"},"Precedence":8,"CreatedAt":"2025-01-02T03:04:05Z",
				   "UpdatedAt":"2025-02-03T04:05:06Z","CreateIndex":6,"ModifyIndex":7} ]
				""");
		try (DevAgent agent = DevAgent.start(settings().withDefaultIntentionPolicy("allow"))) {
			JsonNode entry = json(send(agent, "GET", "/v1/config/service-intentions/db", null));
			assertThat(entry.get("Sources")).hasSize(2);
			JsonNode legacy = json(send(agent, "GET", "/v1/connect/intentions/0b1f3c4e-8d2a-4c55-9a7e-2f6b1d9e0a11",
					null));
			assertThat(legacy.get("Meta").get("owner").asString()).isEqualTo("ops");
			assertThat(legacy.get("CreatedAt").asString()).isEqualTo("2025-01-02T03:04:05Z");
			assertThat(legacy.get("Description").asString()).isEqualTo("legacy");
			assertThat(json(send(agent, "GET", "/v1/connect/intentions/check?source=web&destination=db", null))
				.get("Allowed").asBoolean()).isTrue();
			assertThat(json(send(agent, "GET", "/v1/connect/intentions/check?source=api&destination=db", null))
				.get("Allowed").asBoolean()).isFalse();
		}
		assertThat(Files.exists(this.dataDir.resolve("intentions.json"))).isFalse();
		try (DevAgent agent = DevAgent.start(settings())) {
			assertThat(json(send(agent, "GET", "/v1/connect/intentions", null))).hasSize(2);
		}
	}

	@Test
	void anUnreadableConfigFileStopsStartUpAndIsLeftAsItWas() throws Exception {
		DevAgent.start(settings()).close();
		String unknownKind = "[{\"Kind\":\"widget\",\"Name\":\"a\",\"CreateIndex\":1,\"ModifyIndex\":1}]";
		Files.writeString(this.dataDir.resolve("config.json"), unknownKind);
		assertThatThrownBy(() -> DevAgent.start(settings())).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("'config.json' cannot be read (invalid config entry kind: widget)");
		assertThat(Files.readString(this.dataDir.resolve("config.json"))).isEqualTo(unknownKind);
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
