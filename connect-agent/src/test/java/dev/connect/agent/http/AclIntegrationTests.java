package dev.connect.agent.http;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AclIntegrationTests {

	private static final String TOKEN = "4d0a7e2c-1f0b-4a44-9a43-5c2d1b9e8f10";

	private static DevAgent agent;

	private static AgentHttp http;

	@BeforeAll
	static void startAgent() {
		agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0).withAclManagementToken(TOKEN));
		http = new AgentHttp(agent);
	}

	@AfterAll
	static void stopAgent() {
		agent.close();
	}

	@Test
	void requestWithoutATokenIsRefusedAsAnonymousAndChangesNothing() {
		HttpResponse<String> response = http.put("/v1/connect/intentions/exact?source=a&destination=b",
				"{\"Action\":\"allow\"}");
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).startsWith("Permission denied");
		assertThat(response.headers().firstValue("X-Consul-Default-ACL-Policy")).hasValue("deny");
		HttpResponse<String> list = http.send(HttpRequest.newBuilder(http.uri("/v1/connect/intentions"))
			.header("X-Consul-Token", TOKEN));
		assertThat(list.body()).isEqualTo("[]\n");
	}

	@Test
	void requestWithAnotherTokenIsRefusedWithAclNotFound() {
		HttpResponse<String> response = http.get("/v1/agent/connect/ca/leaf/web?token=wrong");
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).isEqualTo("ACL not found");
	}

	@Test
	void theTokenIsAcceptedFromEachOfConsulsSources() {
		assertThat(http.get("/v1/agent/services?token=" + TOKEN).statusCode()).isEqualTo(200);
		assertThat(http.send(HttpRequest.newBuilder(http.uri("/v1/agent/services")).header("X-Consul-Token", TOKEN))
			.statusCode()).isEqualTo(200);
		assertThat(http.send(HttpRequest.newBuilder(http.uri("/v1/agent/services"))
			.header("Authorization", "bearer " + TOKEN)).statusCode()).isEqualTo(200);
		assertThat(http.send(HttpRequest.newBuilder(http.uri("/v1/agent/services?token=wrong"))
			.header("X-Consul-Token", TOKEN)).statusCode()).as("?token= comes first").isEqualTo(403);
	}

	@Test
	void caRootsNeedNoTokenAsInConsul() {
		assertThat(http.get("/v1/agent/connect/ca/roots").statusCode()).isEqualTo(200);
		assertThat(http.get("/v1/connect/ca/roots").statusCode()).isEqualTo(200);
	}

}
