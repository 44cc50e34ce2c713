package dev.connect.agent.http;

import java.net.http.HttpResponse;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * L7 permissions are refused where Consul refuses them, with its messages, through both APIs; nothing is stored.
 */
class L7PermissionsValidationIntegrationTests {

	private static DevAgent agent;

	private static AgentHttp http;

	@BeforeAll
	static void startAgent() {
		agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0));
		http = new AgentHttp(agent);
		http.put("/v1/config", "{\"Kind\":\"service-defaults\",\"Name\":\"api\",\"Protocol\":\"http\"}");
	}

	@AfterAll
	static void stopAgent() {
		agent.close();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '`', value = {
			"{\"Action\":\"permit\",\"HTTP\":{\"PathExact\":\"/a\"}} | Sources[0].Permissions[0].Action must be set to 'allow' or 'deny'",
			"{\"Action\":\"allow\"} | Sources[0].Permissions[0].HTTP is required",
			"{\"Action\":\"allow\",\"HTTP\":{}} | Sources[0].Permissions[0].HTTP should not be empty",
			"{\"Action\":\"allow\",\"HTTP\":{\"PathExact\":\"a\"}} | Sources[0].Permissions[0].HTTP.PathExact doesn't start with '/': \"a\"",
			"{\"Action\":\"allow\",\"HTTP\":{\"PathPrefix\":\"v1\"}} | Sources[0].Permissions[0].HTTP.PathPrefix doesn't start with '/': \"v1\"",
			"{\"Action\":\"allow\",\"HTTP\":{\"PathExact\":\"/a\",\"PathRegex\":\"/b.*\"}} | Sources[0].Permissions[0].HTTP should only contain at most one of PathExact, PathPrefix, or PathRegex",
			"{\"Action\":\"allow\",\"HTTP\":{\"Methods\":[\"FETCH\"]}} | Sources[0].Permissions[0].HTTP.Methods contains an invalid method \"FETCH\"",
			"{\"Action\":\"allow\",\"HTTP\":{\"Methods\":[\"get\",\"GET\"]}} | Sources[0].Permissions[0].HTTP.Methods contains \"GET\" more than once",
			"{\"Action\":\"allow\",\"HTTP\":{\"Header\":[{\"Exact\":\"x\"}]}} | Sources[0].Permissions[0].HTTP.Header[0] missing required Name field",
			"{\"Action\":\"allow\",\"HTTP\":{\"Header\":[{\"Name\":\"x\"}]}} | Sources[0].Permissions[0].HTTP.Header[0] should only contain one of Present, Exact, Prefix, Suffix, Contains, or Regex",
			"{\"Action\":\"allow\",\"HTTP\":{\"Header\":[{\"Name\":\"x\",\"Exact\":\"a\",\"Prefix\":\"b\"}]}} | Sources[0].Permissions[0].HTTP.Header[0] should only contain one of Present, Exact, Prefix, Suffix, Contains, or Regex",
			"{\"Action\":\"allow\",\"HTTP\":{\"Header\":[{\"Name\":\"x\",\"Regex\":\"a.*\",\"IgnoreCase\":true}]}} | Sources[0].Permissions[0].HTTP.Header[0] should set one of Exact, Prefix, Suffix, or Contains to use IgnoreCase",
			"{\"Action\":\"allow\",\"HTTP\":{\"PathExact\":\"/a\"},\"JWT\":{\"Providers\":[{\"Name\":\"okta\"}]}} | Sources[0].Permissions[0].JWT: JWT requirements are not supported by the dev agent, which does not verify JWTs; remove JWT or use a Consul cluster" })
	void aPermissionConsulRefusesIsRefusedThroughBothApis(String permission, String message) {
		HttpResponse<String> entry = http.put("/v1/config", "{\"Kind\":\"service-intentions\",\"Name\":\"api\","
				+ "\"Sources\":[{\"Name\":\"web\",\"Permissions\":[" + permission + "]}]}");
		assertThat(entry.statusCode()).isEqualTo(500);
		assertThat(entry.body()).isEqualTo(message);
		HttpResponse<String> exact = http.put("/v1/connect/intentions/exact?source=web&destination=api",
				"{\"Permissions\":[" + permission + "]}");
		assertThat(exact.statusCode()).isEqualTo(500);
		assertThat(exact.body()).isEqualTo(message);
		assertThat(http.get("/v1/connect/intentions").body()).isEqualTo("[]\n");
	}

	@Test
	void anUnknownFieldInAPermissionIsRefusedNotIgnored() {
		HttpResponse<String> exact = http.put("/v1/connect/intentions/exact?source=web&destination=api",
				"{\"Permissions\":[{\"Bogus\":1}]}");
		assertThat(exact.statusCode()).isEqualTo(400);
		assertThat(exact.body()).isEqualTo("Request decode failed: json: unknown field \"Bogus\"");
		HttpResponse<String> entry = http.put("/v1/config", "{\"Kind\":\"service-intentions\",\"Name\":\"api\","
				+ "\"Sources\":[{\"Name\":\"web\",\"Permissions\":[{\"Action\":\"allow\",\"HTTP\":{\"PathExact\":\"/a\","
				+ "\"Headers\":[]}}]}]}");
		assertThat(entry.statusCode()).isEqualTo(400);
		assertThat(entry.body()).isEqualTo("Request decoding failed: 1 error occurred:\n"
				+ "\t* invalid config key \"Sources[0].Permissions[0].HTTP.Headers\"\n\n");
		assertThat(http.get("/v1/connect/intentions").body()).isEqualTo("[]\n");
	}

	@Test
	void l7NeedsANamedDestinationThatSpeaksHttp() {
		String permissions = "{\"Permissions\":[{\"Action\":\"allow\",\"HTTP\":{\"PathPrefix\":\"/\"}}]}";
		HttpResponse<String> wildcard = http.put("/v1/config", "{\"Kind\":\"service-intentions\",\"Name\":\"*\","
				+ "\"Sources\":[{\"Name\":\"web\"," + permissions.substring(1, permissions.length() - 1) + "}]}");
		assertThat(wildcard.body())
			.isEqualTo("Sources[0].Permissions cannot be specified on intentions with wildcarded destinations");
		HttpResponse<String> tcp = http.put("/v1/connect/intentions/exact?source=web&destination=db", permissions);
		assertThat(tcp.statusCode()).isEqualTo(500);
		assertThat(tcp.body()).startsWith("service \"db\" has protocol \"tcp\", which does not support L7 intentions");
		http.put("/v1/config", "{\"Kind\":\"proxy-defaults\",\"Name\":\"global\",\"Config\":{\"protocol\":\"grpc\"}}");
		assertThat(http.put("/v1/connect/intentions/exact?source=web&destination=db", permissions).body())
			.isEqualTo("true\n");
		HttpResponse<String> downgrade = http.put("/v1/config",
				"{\"Kind\":\"proxy-defaults\",\"Name\":\"global\",\"Config\":{\"protocol\":\"tcp\"}}");
		assertThat(downgrade.statusCode()).isEqualTo(500);
		assertThat(downgrade.body()).startsWith("service \"db\" has protocol \"tcp\"");
		assertThat(http.send("DELETE", "/v1/config/proxy-defaults/global", null).statusCode())
			.as("the protocol an L7 intention relies on cannot go").isEqualTo(500);
		http.send("DELETE", "/v1/connect/intentions/exact?source=web&destination=db", null);
		assertThat(http.send("DELETE", "/v1/config/proxy-defaults/global", null).body()).isEqualTo("{}\n");
	}

	@Test
	void aJwtRequirementOnTheEntryIsRefused() {
		HttpResponse<String> entry = http.put("/v1/config", "{\"Kind\":\"service-intentions\",\"Name\":\"api\","
				+ "\"JWT\":{\"Providers\":[{\"Name\":\"okta\"}]},\"Sources\":[{\"Name\":\"web\",\"Action\":\"allow\"}]}");
		assertThat(entry.statusCode()).isEqualTo(500);
		assertThat(entry.body()).startsWith("JWT: JWT requirements are not supported by the dev agent");
	}

}
