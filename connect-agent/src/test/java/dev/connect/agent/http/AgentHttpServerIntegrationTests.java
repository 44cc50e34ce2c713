package dev.connect.agent.http;

import java.net.http.HttpResponse;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class AgentHttpServerIntegrationTests {

	private static DevAgent agent;

	private static AgentHttp http;

	@BeforeAll
	static void startAgent() {
		agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0));
		http = new AgentHttp(agent);
	}

	@AfterAll
	static void stopAgent() {
		agent.close();
	}

	@Test
	void agentBindsLoopbackOnAFreePort() {
		assertThat(agent.address().getAddress().isLoopbackAddress()).isTrue();
		assertThat(agent.address().getPort()).isPositive().isNotEqualTo(8500);
		assertThat(agent.httpAddress()).isEqualTo("http://127.0.0.1:" + agent.address().getPort());
	}

	@ParameterizedTest
	@ValueSource(strings = { "/v1/nothing/here", "/v1/agent/connect/ca", "/", "/ui" })
	void unknownPathIs404WithConsulsText(String path) {
		HttpResponse<String> response = http.get(path);
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.body()).isEqualTo("Invalid URL path: not a recognized HTTP API endpoint");
		assertThat(response.headers().firstValue("X-Consul-Default-ACL-Policy")).as("the default intention policy")
			.hasValue("deny");
	}

	@Test
	void wrongMethodIs405WithAllowAndOptionsIs200WithAllow() {
		HttpResponse<String> post = http.send("POST", "/v1/agent/connect/ca/roots", "{}");
		assertThat(post.statusCode()).isEqualTo(405);
		assertThat(post.headers().firstValue("Allow")).hasValue("GET,OPTIONS");
		assertThat(post.body()).isEqualTo("method POST not allowed");
		HttpResponse<String> options = http.send("OPTIONS", "/v1/connect/ca/configuration", null);
		assertThat(options.statusCode()).isEqualTo(200);
		assertThat(options.headers().firstValue("Allow").orElseThrow()).contains("GET", "PUT", "OPTIONS");
	}

	@Test
	void bodyOver512KibIs413AndChangesNothing() {
		String before = http.get("/v1/connect/ca/configuration").body();
		String body = "{\"Provider\":\"consul\",\"Config\":{\"Pad\":\"" + "x".repeat(600 * 1024) + "\"}}";
		HttpResponse<String> response = http.put("/v1/connect/ca/configuration", body);
		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(response.body()).isEqualTo("http: request body too large");
		assertThat(http.get("/v1/connect/ca/configuration").body()).isEqualTo(before);
	}

	@ParameterizedTest
	@ValueSource(strings = { "index=abc", "index=-1", "index=1.5" })
	void invalidIndexIs400(String query) {
		HttpResponse<String> response = http.get("/v1/agent/connect/ca/roots?" + query);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).isEqualTo("Invalid index");
	}

	@ParameterizedTest
	@ValueSource(strings = { "wait=xyz", "wait=10", "wait=5 s" })
	void invalidWaitIs400(String query) {
		HttpResponse<String> response = http.get("/v1/agent/connect/ca/roots?index=1&" + query.replace(" ", "%20"));
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).isEqualTo("Invalid wait time");
	}

	@Test
	void indexFromTheFutureBlocksUntilTheWaitRunsOutAndIndexBelowCurrentAnswersAtOnce() {
		long current = AgentHttp.index(http.get("/v1/agent/connect/ca/roots"));
		long started = System.nanoTime();
		HttpResponse<String> stale = http.get("/v1/agent/connect/ca/roots?index=" + (current - 1) + "&wait=5s");
		assertThat(System.nanoTime() - started).isLessThan(2_000_000_000L);
		assertThat(AgentHttp.index(stale)).isEqualTo(current);
		HttpResponse<String> ahead = http.get("/v1/agent/connect/ca/roots?index=" + (current + 1000) + "&wait=100ms");
		assertThat(ahead.statusCode()).isEqualTo(200);
		assertThat(AgentHttp.index(ahead)).isEqualTo(current);
	}

}
