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

	@Test
	void checksAddedThroughTheAgentApiAndMaintenanceModeSurviveARestart() throws Exception {
		try (DevAgent agent = DevAgent.start(settings())) {
			send(agent, "PUT", "/v1/agent/service/register", "{\"ID\":\"billing-1\",\"Name\":\"billing\",\"Port\":9001}");
			send(agent, "PUT", "/v1/agent/service/register", "{\"ID\":\"api-1\",\"Name\":\"api\",\"Port\":9002}");
			send(agent, "PUT", "/v1/agent/check/register", """
					{"ID":"billing-ttl","Name":"billing TTL","ServiceID":"billing-1","TTL":"10m","Status":"passing",
					 "Notes":"pushed"}""");
			send(agent, "PUT", "/v1/agent/check/register", """
					{"ID":"gone","Name":"removed again","ServiceID":"billing-1","TTL":"10m"}""");
			send(agent, "PUT", "/v1/agent/check/deregister/gone", "");
			send(agent, "PUT", "/v1/agent/service/maintenance/billing-1?enable=true&reason=upgrade", "");
			send(agent, "PUT", "/v1/agent/service/maintenance/api-1?enable=true", "");
		}
		try (DevAgent agent = DevAgent.start(settings())) {
			JsonNode checks = json(send(agent, "GET", "/v1/agent/checks", ""));
			assertThat(checks.propertyNames()).containsExactlyInAnyOrder("billing-ttl", "_service_maintenance:billing-1",
					"_service_maintenance:api-1");
			assertThat(checks.get("billing-ttl").get("Notes").asString()).isEqualTo("pushed");
			assertThat(checks.get("billing-ttl").get("ServiceID").asString()).isEqualTo("billing-1");
			assertThat(checks.get("_service_maintenance:billing-1").get("Notes").asString()).isEqualTo("upgrade");
			assertThat(checks.get("_service_maintenance:api-1").get("Notes").asString())
				.startsWith("Maintenance mode is enabled for this service, but no reason was provided.");
			send(agent, "PUT", "/v1/agent/service/maintenance/billing-1?enable=false", "");
			send(agent, "PUT", "/v1/agent/service/deregister/api-1", "");
		}
		try (DevAgent agent = DevAgent.start(settings())) {
			assertThat(json(send(agent, "GET", "/v1/agent/checks", "")).propertyNames()).containsExactly("billing-ttl");
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
