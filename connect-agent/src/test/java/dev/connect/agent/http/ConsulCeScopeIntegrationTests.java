package dev.connect.agent.http;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Consul CE answers to namespaces and partitions in the query or headers, and the default policy header.
 */
class ConsulCeScopeIntegrationTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"/v1/connect/intentions?ns=team | | Bad request: Invalid query parameter: \"ns\" - Namespaces are a Consul Enterprise feature",
			"/v1/config/service-defaults?ns=default | | Bad request: Invalid query parameter: \"ns\" - Namespaces are a Consul Enterprise feature",
			"/v1/health/service/web?partition=part1 | | Bad request: Invalid query parameter: \"partition\" - Partitions are a Consul Enterprise feature",
			"/v1/agent/services | X-Consul-Namespace | Bad request: Invalid header: \"X-Consul-Namespace\" - Namespaces are a Consul Enterprise feature",
			"/v1/catalog/services | X-Consul-Partition | Bad request: Invalid header: \"X-Consul-Partition\" - Partitions are a Consul Enterprise feature" })
	void aNamespaceOrPartitionIsRefusedAsConsulCeRefusesIt(String path, String header, String message) {
		try (DevAgent agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0))) {
			AgentHttp http = new AgentHttp(agent);
			HttpRequest.Builder request = HttpRequest.newBuilder(http.uri(path)).GET();
			if (header != null) {
				request.header(header, "team");
			}
			HttpResponse<String> response = http.send(request);
			assertThat(response.statusCode()).isEqualTo(400);
			assertThat(response.body()).isEqualTo(message);
			assertThat(http.get("/v1/agent/connect/ca/roots?ns=team").statusCode())
				.as("the CA roots never read a namespace").isEqualTo(200);
		}
	}

	@Test
	void theDefaultPolicyHeaderIsTheDefaultTheAgentEnforces() {
		try (DevAgent agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0)
			.withDefaultIntentionPolicy("deny"))) {
			HttpResponse<String> response = new AgentHttp(agent).get("/v1/connect/intentions/check?source=a&destination=b");
			assertThat(response.headers().firstValue("X-Consul-Default-ACL-Policy")).hasValue("deny");
			assertThat(response.body()).contains("\"Allowed\": false");
		}
	}

}
