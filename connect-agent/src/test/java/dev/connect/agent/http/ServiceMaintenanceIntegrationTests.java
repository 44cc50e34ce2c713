package dev.connect.agent.http;

import java.net.http.HttpResponse;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceMaintenanceIntegrationTests {

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
	void maintenanceAddsConsulsCriticalCheckUntilItEnds() {
		assertThat(AgentHttp.json(this.http.get("/v1/health/service/billing?passing"))).hasSize(1);
		assertThat(this.http.put("/v1/agent/service/maintenance/billing-1?enable=true&reason=upgrade", "")
			.statusCode()).isEqualTo(200);
		JsonNode check = AgentHttp.json(this.http.get("/v1/agent/checks")).get("_service_maintenance:billing-1");
		assertThat(check.get("Status").asString()).isEqualTo("critical");
		assertThat(check.get("Notes").asString()).isEqualTo("upgrade");
		assertThat(check.get("Name").asString()).isEqualTo("Service Maintenance Mode");
		assertThat(check.get("ServiceID").asString()).isEqualTo("billing-1");
		assertThat(AgentHttp.json(this.http.get("/v1/health/service/billing?passing"))).isEmpty();
		HttpResponse<String> health = this.http.get("/v1/agent/health/service/id/billing-1?format=text");
		assertThat(health.statusCode()).isEqualTo(503);
		assertThat(health.body()).isEqualTo("maintenance");
		this.http.put("/v1/agent/service/maintenance/billing-1?enable=false", "");
		assertThat(AgentHttp.json(this.http.get("/v1/agent/checks")).has("_service_maintenance:billing-1")).isFalse();
		assertThat(AgentHttp.json(this.http.get("/v1/health/service/billing?passing"))).hasSize(1);
	}

	@Test
	void aRequestConsulRefusesIsRefusedWithItsText() {
		this.http.put("/v1/agent/service/maintenance/billing-1?enable", "");
		assertRefused("/v1/agent/service/maintenance/billing-1", 400, "Missing value for enable");
		assertRefused("/v1/agent/service/maintenance/billing-1?enable=maybe", 400, "Invalid value for enable: \"maybe\"");
		assertRefused("/v1/agent/service/maintenance/nope?enable=true", 404, "No service registered with ID \"nope\"");
		this.http.put("/v1/agent/service/maintenance/billing-1?enable=true", "");
		assertThat(AgentHttp.json(this.http.get("/v1/agent/checks")).get("_service_maintenance:billing-1").get("Notes")
			.asString()).isEqualTo("Maintenance mode is enabled for this service, but no reason was provided. "
					+ "This is a default message.");
	}

	private void assertRefused(String path, int status, String body) {
		HttpResponse<String> response = this.http.put(path, "");
		assertThat(response.statusCode()).isEqualTo(status);
		assertThat(response.body()).isEqualTo(body);
	}

}
