package dev.connect.agent;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every shape the registration and intention APIs accept is written to the data directory and read back by the
 * next agent started from it.
 */
class DataDirRegistrationsIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** Connect-native, with every service field the agent keeps and a TTL check that passes. */
	private static final String NATIVE = """
			{"ID":"billing-1","Name":"billing","Port":8443,"Address":"127.0.0.1","Tags":["v2"],"Meta":{"team":"pay"},
			 "TaggedAddresses":{"lan":{"Address":"127.0.0.1","Port":8443}},"Weights":{"Passing":3,"Warning":2},
			 "EnableTagOverride":true,"Connect":{"Native":true},
			 "Checks":[{"CheckID":"billing-ttl","Name":"billing TTL","Notes":"pushed by billing","TTL":"10m",
			            "Status":"passing","DeregisterCriticalServiceAfter":"90m"}]}""";

	/** A sidecar with upstreams and the default sidecar checks, behind an HTTP check with every HTTP option. */
	private static final String SIDECAR_WITH_UPSTREAMS = """
			{"ID":"web-1","Name":"web","Port":8080,
			 "Check":{"Name":"web health","HTTP":"http://127.0.0.1:1/health","Method":"POST",
			          "Header":{"X-Probe":["1","2"]},"TLSSkipVerify":true,"Interval":"10s","Timeout":"1s"},
			 "Connect":{"SidecarService":{"Proxy":{"Upstreams":[
			     {"DestinationName":"billing","LocalBindPort":9191},
			     {"DestinationType":"service","DestinationName":"api","LocalBindAddress":"127.0.0.1","LocalBindPort":9192,
			      "Config":{"connect_timeout_ms":500}}]}}}}""";

	/** A sidecar with its own port, tags, mode, config and checks. */
	private static final String SIDECAR_WITH_ITS_OWN_SETTINGS = """
			{"ID":"api-1","Name":"api","Port":8081,
			 "Connect":{"SidecarService":{"Port":21500,"Tags":["proxy"],"Meta":{"kind":"sidecar"},
			     "Proxy":{"Mode":"direct","Config":{"protocol":"http"}},
			     "Checks":[{"Name":"sidecar listening","TCP":"127.0.0.1:21500","Interval":"10s"},
			               {"Name":"sidecar ttl","TTL":"10m","Status":"warning"}]}}}""";

	/** A sidecar that is only {@code {}}, whose port is picked by the agent. */
	private static final String EMPTY_SIDECAR = """
			{"ID":"worker-1","Name":"worker","Port":8082,"Connect":{"SidecarService":{}}}""";

	/** A proxy registered on its own, with an alias check. */
	private static final String PROXY = """
			{"ID":"billing-proxy","Name":"billing-proxy","Kind":"connect-proxy","Port":20000,
			 "Proxy":{"DestinationServiceName":"billing","DestinationServiceID":"billing-1",
			          "LocalServiceAddress":"127.0.0.1","LocalServicePort":8443,"Mode":"transparent",
			          "Upstreams":[{"DestinationName":"web","LocalBindPort":9293}]},
			 "Check":{"Name":"billing alive","AliasService":"billing-1"}}""";

	/** A plain service in snake_case, with a TCP check. */
	private static final String SNAKE_CASE = """
			{"id":"plain-1","name":"plain","port":9000,"tags":["x"],"enable_tag_override":false,
			 "check":{"check_id":"plain-tcp","tcp":"127.0.0.1:9","interval":"30s","timeout":"2s",
			          "deregister_critical_service_after":"2h"}}""";

	private final HttpClient client = HttpClient.newHttpClient();

	@TempDir
	Path dataDir;

	private DevAgentSettings settings() {
		return DevAgentSettings.defaults().withHttpPort(0).withDataDir(this.dataDir);
	}

	@Test
	void everyRegistrationShapeSurvivesARestartUnchanged() throws Exception {
		State before;
		try (DevAgent agent = DevAgent.start(settings())) {
			for (String registration : List.of(NATIVE, SIDECAR_WITH_UPSTREAMS, EMPTY_SIDECAR, SIDECAR_WITH_ITS_OWN_SETTINGS,
					PROXY, SNAKE_CASE)) {
				send(agent, "PUT", "/v1/agent/service/register", registration);
			}
			// The next sidecar takes the lowest free port, which web-1's sidecar leaves free: what the agent picked
			// must be what the next agent has, whatever order it reads registrations in.
			send(agent, "PUT", "/v1/agent/service/deregister/web-1", null);
			send(agent, "PUT", "/v1/agent/service/register", SIDECAR_WITH_UPSTREAMS.replace("web-1", "www-1"));
			before = state(agent);
		}
		assertThat(before.services().propertyNames()).containsExactlyInAnyOrder("api-1", "api-1-sidecar-proxy",
				"billing-1", "billing-proxy", "plain-1", "www-1", "www-1-sidecar-proxy", "worker-1",
				"worker-1-sidecar-proxy");
		assertThat(before.services().get("worker-1-sidecar-proxy").get("Port").asInt()).isEqualTo(21001);
		assertThat(before.services().get("www-1-sidecar-proxy").get("Port").asInt()).isEqualTo(21000);
		try (DevAgent agent = DevAgent.start(settings())) {
			State after = state(agent);
			assertThat(after.services()).isEqualTo(before.services());
			assertThat(after.checks()).isEqualTo(before.checks());
			assertThat(after.connectBilling()).isEqualTo(before.connectBilling());
			assertThat(after.connectWeb()).isEqualTo(before.connectWeb());
			assertThat(after.ttlStatuses()).isEqualTo(before.ttlStatuses())
				.isEqualTo(List.of("billing-ttl=passing", "service:api-1-sidecar-proxy:2=warning"));
		}
	}

	@Test
	void everyIntentionShapeSurvivesARestartUnchanged() throws Exception {
		JsonNode before;
		try (DevAgent agent = DevAgent.start(settings())) {
			send(agent, "PUT", "/v1/connect/intentions/exact?source=web&destination=billing",
					"{\"Action\":\"allow\",\"Description\":\"web pays\"}");
			send(agent, "PUT", "/v1/connect/intentions/exact?source=*&destination=billing", "{\"Action\":\"deny\"}");
			send(agent, "PUT", "/v1/config", "{\"Kind\":\"service-defaults\",\"Name\":\"billing\",\"Protocol\":\"http\"}");
			send(agent, "PUT", "/v1/connect/intentions/exact?source=api&destination=billing",
					"{\"Permissions\":[{\"Action\":\"allow\",\"HTTP\":{\"PathPrefix\":\"/v1/\",\"Methods\":[\"GET\"],"
							+ "\"Header\":[{\"Name\":\"X-Team\",\"Exact\":\"pay\"}]}},{\"Action\":\"deny\",\"HTTP\":{\"PathExact\":\"/admin\"}}]}");
			send(agent, "POST", "/v1/connect/intentions", "{\"SourceName\":\"worker\",\"DestinationName\":\"*\","
					+ "\"Action\":\"deny\",\"Meta\":{\"owner\":\"ops\"},\"Description\":\"legacy\"}");
			before = json(send(agent, "GET", "/v1/connect/intentions", null));
		}
		assertThat(before).hasSize(4);
		try (DevAgent agent = DevAgent.start(settings())) {
			assertThat(json(send(agent, "GET", "/v1/connect/intentions", null))).isEqualTo(before);
		}
	}

	private State state(DevAgent agent) throws Exception {
		JsonNode checks = json(send(agent, "GET", "/v1/agent/checks", null));
		List<String> ttlStatuses = new java.util.ArrayList<>();
		checks.forEach((check) -> {
			if ("ttl".equals(check.get("Type").asString())) {
				ttlStatuses.add(check.get("CheckID").asString() + "=" + check.get("Status").asString());
			}
			// Probes and aliases set status and output as they run; indexes move on across a restart.
			((ObjectNode) check).remove(List.of("Status", "Output", "CreateIndex", "ModifyIndex"));
		});
		return new State(json(send(agent, "GET", "/v1/agent/services", null)), checks,
				withoutIndexesAndChecks(json(send(agent, "GET", "/v1/health/connect/billing", null))),
				withoutIndexesAndChecks(json(send(agent, "GET", "/v1/health/connect/web", null))), ttlStatuses);
	}

	private static JsonNode withoutIndexesAndChecks(JsonNode entries) {
		entries.forEach((entry) -> {
			((ObjectNode) entry).remove("Checks");
			((ObjectNode) entry.get("Service")).remove(List.of("CreateIndex", "ModifyIndex"));
			((ObjectNode) entry.get("Node")).remove(List.of("CreateIndex", "ModifyIndex"));
		});
		return entries;
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

	private record State(JsonNode services, JsonNode checks, JsonNode connectBilling, JsonNode connectWeb,
			List<String> ttlStatuses) {
	}

}
