package dev.connect.agent;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nodes registered through {@code /v1/catalog/register} (their services and checks) are kept in the data
 * directory, and so are checks added through {@code /v1/agent/check/register} and maintenance mode: the next agent
 * started from it answers the same.
 */
class DataDirNodesIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String DATABASE = """
			{"Node":"db-node","Address":"10.0.0.7","TaggedAddresses":{"wan":"192.0.2.7"},"NodeMeta":{"rack":"r1"},
			 "Service":{"ID":"db-1","Service":"db","Port":5432,"Tags":["primary"],"Connect":{"Native":true}},
			 "Checks":[{"CheckID":"db-node-alive","Name":"node alive","Status":"passing"},
			           {"Name":"db ping","ServiceID":"db-1","Status":"warning","Output":"slow","Notes":"n"}]}""";

	@TempDir
	Path dataDir;

	private final HttpClient client = HttpClient.newHttpClient();

	private DevAgentSettings settings() {
		return DevAgentSettings.defaults().withHttpPort(0).withDataDir(this.dataDir);
	}

	@Test
	void externalNodesTheirServicesAndChecksSurviveARestart() throws Exception {
		String before;
		try (DevAgent agent = DevAgent.start(settings())) {
			send(agent, "PUT", "/v1/catalog/register", DATABASE);
			send(agent, "PUT", "/v1/catalog/register", """
					{"Node":"db-node","SkipNodeUpdate":true,"Service":{"ID":"db-2","Service":"db","Port":5433}}""");
			before = externalView(agent);
		}
		try (DevAgent agent = DevAgent.start(settings())) {
			assertThat(externalView(agent)).isEqualTo(before);
			JsonNode health = json(send(agent, "GET", "/v1/health/service/db", ""));
			assertThat(health).hasSize(2);
			assertThat(health.get(0).get("Checks")).extracting((check) -> check.get("Status").asString())
				.containsExactly("passing", "warning");
			assertThat(json(send(agent, "GET", "/v1/health/connect/db", ""))).hasSize(1);
		}
	}

	/** The views of the external node, without indexes (a restart hands out new ones). */
	private String externalView(DevAgent agent) throws Exception {
		return (send(agent, "GET", "/v1/catalog/node/db-node", "").body()
				+ send(agent, "GET", "/v1/health/node/db-node", "").body()
				+ send(agent, "GET", "/v1/catalog/service/db", "").body())
			.replaceAll("\"(Create|Modify)Index\": \\d+", "");
	}

	private HttpResponse<String> send(DevAgent agent, String method, String path, String body) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(agent.httpAddress() + path))
			.method(method, HttpRequest.BodyPublishers.ofString(body))
			.build();
		HttpResponse<String> response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(200);
		return response;
	}

	private static JsonNode json(HttpResponse<String> response) {
		return JSON.readTree(response.body());
	}

}
