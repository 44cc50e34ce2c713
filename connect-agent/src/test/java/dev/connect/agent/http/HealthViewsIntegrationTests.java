package dev.connect.agent.http;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class HealthViewsIntegrationTests {

	private static final String BILLING = """
			{"ID":"billing-%d","Name":"billing","Port":900%d,
			 "Checks":[{"CheckID":"billing-%d-ttl","Name":"billing TTL","TTL":"10m","Status":"passing"}]}""";

	private DevAgent agent;

	private AgentHttp http;

	@BeforeEach
	void startAgent() {
		this.agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0));
		this.http = new AgentHttp(this.agent);
		this.http.put("/v1/agent/service/register", BILLING.formatted(1, 1, 1));
		this.http.put("/v1/agent/service/register", BILLING.formatted(2, 2, 2));
	}

	@AfterEach
	void stopAgent() {
		this.agent.close();
	}

	@Test
	void healthChecksOfAServiceBlockUntilOneChanges() throws Exception {
		HttpResponse<String> first = this.http.get("/v1/health/checks/billing");
		JsonNode checks = AgentHttp.json(first);
		assertThat(checks).hasSize(2);
		assertThat(checks.get(0).get("CheckID").asString()).isEqualTo("billing-1-ttl");
		assertThat(checks.get(0).get("ServiceName").asString()).isEqualTo("billing");
		assertThat(AgentHttp.json(this.http.get("/v1/health/checks/other"))).isEmpty();
		long index = AgentHttp.index(first);
		CompletableFuture<HttpResponse<String>> blocked = CompletableFuture
			.supplyAsync(() -> this.http.get("/v1/health/checks/billing?index=" + index + "&wait=30s"));
		this.http.put("/v1/agent/check/fail/billing-2-ttl?note=down", "");
		JsonNode after = AgentHttp.json(blocked.get(20, TimeUnit.SECONDS));
		assertThat(after.get(1).get("Status").asString()).isEqualTo("critical");
		assertThat(after.get(1).get("Output").asString()).isEqualTo("down");
	}

	@Test
	void checksInAStateAndOfTheNodeIncludeTheSerfHealthCheck() {
		this.http.put("/v1/agent/check/warn/billing-1-ttl", "");
		JsonNode any = AgentHttp.json(this.http.get("/v1/health/state/any"));
		assertThat(any).extracting((check) -> check.get("CheckID").asString())
			.containsExactly("serfHealth", "billing-1-ttl", "billing-2-ttl");
		assertThat(AgentHttp.json(this.http.get("/v1/health/state/warning")))
			.extracting((check) -> check.get("CheckID").asString())
			.containsExactly("billing-1-ttl");
		assertThat(AgentHttp.json(this.http.get("/v1/health/state/critical"))).isEmpty();
		String node = this.agent.settings().nodeName();
		assertThat(AgentHttp.json(this.http.get("/v1/health/node/" + node))).hasSize(3);
		assertThat(AgentHttp.json(this.http.get("/v1/health/node/elsewhere"))).isEmpty();
	}

	@Test
	void agentHealthOfAServiceAnswersConsulsStatusCodes() {
		HttpResponse<String> passing = this.http.get("/v1/agent/health/service/id/billing-1");
		assertThat(passing.statusCode()).isEqualTo(200);
		JsonNode health = AgentHttp.json(passing);
		assertThat(health.propertyNames()).containsExactly("AggregatedStatus", "Service", "Checks");
		assertThat(health.get("Service").get("ID").asString()).isEqualTo("billing-1");
		this.http.put("/v1/agent/check/warn/billing-1-ttl", "");
		assertThat(this.http.get("/v1/agent/health/service/id/billing-1").statusCode()).isEqualTo(429);
		assertThat(this.http.get("/v1/agent/health/service/name/billing").statusCode()).isEqualTo(429);
		this.http.put("/v1/agent/check/fail/billing-2-ttl", "");
		HttpResponse<String> critical = this.http.get("/v1/agent/health/service/name/billing?format=text");
		assertThat(critical.statusCode()).isEqualTo(503);
		assertThat(critical.body()).isEqualTo("critical");
		HttpResponse<String> unknown = this.http.get("/v1/agent/health/service/id/nope");
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.body()).isEqualTo("ServiceId nope not found");
		assertThat(this.http.get("/v1/agent/health/service/name/nope").body()).isEqualTo("ServiceName nope Not Found");
	}

	@Test
	void theAgentIsItsDatacentersOnlyNodeAndMember() {
		String node = this.agent.settings().nodeName();
		JsonNode members = AgentHttp.json(this.http.get("/v1/agent/members"));
		assertThat(members).hasSize(1);
		assertThat(members.get(0).get("Name").asString()).isEqualTo(node);
		assertThat(members.get(0).get("Status").asInt()).isEqualTo(1);
		JsonNode nodes = AgentHttp.json(this.http.get("/v1/catalog/nodes"));
		assertThat(nodes).hasSize(1);
		assertThat(nodes.get(0).get("Node").asString()).isEqualTo(node);
		JsonNode services = AgentHttp.json(this.http.get("/v1/catalog/node/" + node));
		assertThat(services.get("Node").get("Node").asString()).isEqualTo(node);
		assertThat(services.get("Services").propertyNames()).containsExactly("billing-1", "billing-2");
		HttpResponse<String> unknown = this.http.get("/v1/catalog/node/elsewhere");
		assertThat(unknown.statusCode()).isEqualTo(200);
		assertThat(unknown.body()).isEqualTo("null\n");
	}

}
