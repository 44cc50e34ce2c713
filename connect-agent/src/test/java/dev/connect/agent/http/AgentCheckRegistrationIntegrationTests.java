package dev.connect.agent.http;

import java.net.http.HttpResponse;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class AgentCheckRegistrationIntegrationTests {

	private DevAgent agent;

	private AgentHttp http;

	@BeforeEach
	void startAgent() {
		this.agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0));
		this.http = new AgentHttp(this.agent);
		this.http.put("/v1/agent/service/register", "{\"ID\":\"billing-1\",\"Name\":\"billing\",\"Port\":9001}");
	}

	@AfterEach
	void stopAgent() {
		this.agent.close();
	}

	@Test
	void aCheckRegisteredForAnInstanceRunsUntilItIsDeregistered() {
		HttpResponse<String> registered = this.http.put("/v1/agent/check/register",
				"{\"Name\":\"billing-ttl\",\"ServiceID\":\"billing-1\",\"TTL\":\"10m\",\"Status\":\"passing\"}");
		assertThat(registered.statusCode()).isEqualTo(200);
		JsonNode check = AgentHttp.json(this.http.get("/v1/agent/checks")).get("billing-ttl");
		assertThat(check.get("ServiceName").asString()).isEqualTo("billing");
		assertThat(check.get("Type").asString()).isEqualTo("ttl");
		assertThat(this.http.put("/v1/agent/check/fail/billing-ttl", "").statusCode()).isEqualTo(200);
		assertThat(AgentHttp.json(this.http.get("/v1/health/service/billing?passing"))).isEmpty();
		assertThat(this.http.put("/v1/agent/check/deregister/billing-ttl", "").statusCode()).isEqualTo(200);
		assertThat(AgentHttp.json(this.http.get("/v1/agent/checks")).has("billing-ttl")).isFalse();
		assertThat(AgentHttp.json(this.http.get("/v1/health/service/billing?passing"))).hasSize(1);
		assertThat(this.http.put("/v1/agent/check/deregister/unknown", "").statusCode()).isEqualTo(200);
	}

	@Test
	void aCheckConsulWouldRefuseOrTheAgentCannotRunIsRefused() {
		assertRefused("{\"ServiceID\":\"billing-1\",\"TTL\":\"10s\"}", "Missing check name");
		assertRefused("{\"Name\":\"x\",\"ServiceID\":\"nope\",\"TTL\":\"10s\"}", "ServiceID \"nope\" does not exist");
		assertRefused("{\"Name\":\"x\",\"TTL\":\"10s\"}",
				"ServiceID is required: the dev agent runs checks of services only, not of its node");
		assertThat(AgentHttp.json(this.http.get("/v1/agent/checks")).isEmpty()).isTrue();
	}

	private void assertRefused(String body, String message) {
		HttpResponse<String> response = this.http.put("/v1/agent/check/register", body);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).isEqualTo(message);
	}

}
