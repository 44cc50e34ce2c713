package dev.connect.agent.http;

import java.net.http.HttpResponse;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class AuthorizeHandlerIntegrationTests {

	private static DevAgent agent;

	private static AgentHttp http;

	private static String td;

	@BeforeAll
	static void startAgent() {
		agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0));
		http = new AgentHttp(agent);
		td = agent.trustDomain().name();
		http.put("/v1/connect/intentions/exact?source=web&destination=db", "{\"Action\":\"allow\"}");
		http.put("/v1/connect/intentions/exact?source=*&destination=db", "{\"Action\":\"deny\"}");
		// L7 permissions need a destination that speaks HTTP, as in Consul.
		http.put("/v1/config", "{\"Kind\":\"service-defaults\",\"Name\":\"db\",\"Protocol\":\"http\"}");
		http.put("/v1/connect/intentions/exact?source=api&destination=db",
				"{\"Permissions\":[{\"Action\":\"allow\",\"HTTP\":{\"PathPrefix\":\"/\"}}]}");
	}

	@AfterAll
	static void stopAgent() {
		agent.close();
	}

	private static HttpResponse<String> authorize(String target, String uri) {
		return http.send("POST", "/v1/agent/connect/authorize",
				"{\"Target\":\"" + target + "\",\"ClientCertURI\":\"" + uri + "\",\"ClientCertSerial\":\"2c\"}");
	}

	@Test
	void exactAllowIntentionAuthorizes() {
		HttpResponse<String> response = authorize("db", "spiffe://" + td + "/ns/default/dc/dc1/svc/web");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("X-Cache")).hasValue("HIT");
		assertThat(response.headers().firstValue("X-Consul-Index")).isEmpty();
		JsonNode result = AgentHttp.json(response);
		assertThat(result.propertyNames()).containsExactly("Authorized", "Reason");
		assertThat(result.get("Authorized").asBoolean()).isTrue();
		assertThat(result.get("Reason").asString()).startsWith("Matched L4 intention: ALLOW default/web => default/db");
	}

	@Test
	void wildcardDenyAppliesToOtherSourcesAndL7Denies() {
		JsonNode other = AgentHttp.json(authorize("db", "spiffe://" + td + "/ns/default/dc/dc1/svc/cache"));
		assertThat(other.get("Authorized").asBoolean()).isFalse();
		assertThat(other.get("Reason").asString()).startsWith("Matched L4 intention: DENY default/* => default/db");
		JsonNode l7 = AgentHttp.json(authorize("db", "spiffe://" + td + "/ns/default/dc/dc1/svc/api"));
		assertThat(l7.get("Authorized").asBoolean()).isFalse();
		assertThat(l7.get("Reason").asString()).startsWith("Matched L7 intention: ");
	}

	@Test
	void withoutAMatchTheDevAgentsDefaultDenyPolicyDecides() {
		JsonNode result = AgentHttp.json(authorize("cache", "spiffe://" + td + "/ns/default/dc/dc1/svc/web"));
		assertThat(result.get("Authorized").asBoolean()).isFalse();
		assertThat(result.get("Reason").asString()).isEqualTo("Default intention policy");
	}

	@Test
	void trustDomainIsNotCheckedAsInConsul() {
		JsonNode result = AgentHttp.json(authorize("db", "spiffe://other.consul/ns/default/dc/dc1/svc/web"));
		assertThat(result.get("Authorized").asBoolean()).isTrue();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"'' | spiffe://td.consul/ns/default/dc/dc1/svc/web | Target service must be specified",
			"db | https://web.example.org | ClientCertURI not a valid Connect identifier",
			"db | spiffe://td.consul/svc/web | ClientCertURI not a valid Connect identifier",
			"db | '' | ClientCertURI not a valid Connect identifier",
			"db | spiffe://td.consul | ClientCertURI not a valid Service identifier",
			"db | spiffe://td.consul/agent/client/dc/dc1/id/node1 | ClientCertURI not a valid Service identifier",
			"db | spiffe://td.consul/gateway/mesh/dc/dc1 | ClientCertURI not a valid Service identifier" })
	void badRequestsAre400WithConsulsText(String target, String uri, String message) {
		HttpResponse<String> response = authorize(target, uri);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).isEqualTo(message);
	}

	@Test
	void bodyThatIsNotJsonIs400() {
		HttpResponse<String> response = http.send("POST", "/v1/agent/connect/authorize", "not json");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).startsWith("Request decode failed: ");
	}

}
