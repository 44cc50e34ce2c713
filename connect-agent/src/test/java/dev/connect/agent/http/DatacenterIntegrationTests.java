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
 * {@code ?dc=}: the agent is the only server of its datacenter, so a read for another datacenter has, as in Consul,
 * no path to go; its own datacenter, or none named, is answered here.
 */
class DatacenterIntegrationTests {

	private static DevAgent agent;

	private static AgentHttp http;

	private static String intentionId;

	@BeforeAll
	static void startAgent() {
		agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0).withDatacenter("east"));
		http = new AgentHttp(agent);
		http.put("/v1/agent/service/register", "{\"ID\":\"web-1\",\"Name\":\"web\",\"Port\":8080,"
				+ "\"Connect\":{\"Native\":true}}");
		http.put("/v1/connect/intentions/exact?source=web&destination=db", "{\"Action\":\"allow\"}");
		intentionId = AgentHttp.json(http.send("POST", "/v1/connect/intentions",
				"{\"SourceName\":\"api\",\"DestinationName\":\"db\",\"Action\":\"deny\"}")).get("ID").asString();
	}

	@AfterAll
	static void stopAgent() {
		agent.close();
	}

	/** Every endpoint the agent serves whose Consul handler reads {@code ?dc=} and asks a server for the answer. */
	@ParameterizedTest
	@CsvSource({ "/v1/agent/connect/ca/roots", "/v1/connect/ca/roots", "/v1/connect/ca/configuration",
			"/v1/agent/connect/ca/leaf/web", "/v1/connect/intentions",
			"/v1/connect/intentions/exact?source=web&destination=db", "/v1/connect/intentions/match?by=destination&name=db",
			"/v1/connect/intentions/check?source=web&destination=db", "/v1/connect/intentions/{id}",
			"/v1/health/service/web", "/v1/health/connect/web", "/v1/catalog/service/web", "/v1/catalog/connect/web",
			"/v1/catalog/services", "/v1/status/leader" })
	void whenAReadNamesAnotherDatacenterThenThereIsNoPathToIt(String path) {
		String resolved = path.replace("{id}", intentionId);
		HttpResponse<String> other = http.get(withDc(resolved, "west"));
		assertThat(other.statusCode()).isEqualTo(500);
		assertThat(other.body()).isEqualTo("No path to datacenter");
		assertThat(other.headers().firstValue("X-Consul-Index")).isEmpty();
		assertThat(http.get(withDc(resolved, "east")).statusCode()).isEqualTo(200);
		assertThat(http.get(withDc(resolved, "")).statusCode()).isEqualTo(200);
		assertThat(http.get(resolved).statusCode()).isEqualTo(200);
	}

	@Test
	void whenTheCaConfigurationIsWrittenForAnotherDatacenterThenThereIsNoPathAndNothingChanges() {
		String before = http.get("/v1/connect/ca/configuration").body();
		String roots = http.get("/v1/agent/connect/ca/roots").body();
		HttpResponse<String> put = http.put("/v1/connect/ca/configuration?dc=west",
				"{\"Provider\":\"consul\",\"Config\":{\"PrivateKeyType\":\"ec\",\"PrivateKeyBits\":384}}");
		assertThat(put.statusCode()).isEqualTo(500);
		assertThat(put.body()).isEqualTo("No path to datacenter");
		assertThat(http.get("/v1/connect/ca/configuration").body()).isEqualTo(before);
		assertThat(http.get("/v1/agent/connect/ca/roots").body()).isEqualTo(roots);
	}

	@Test
	void intentionWritesGoToThePrimaryDatacenterWhateverDcTheyName() {
		HttpResponse<String> put = http.put("/v1/connect/intentions/exact?source=cache&destination=db&dc=west",
				"{\"Action\":\"allow\"}");
		assertThat(put.statusCode()).isEqualTo(200);
		assertThat(http.get("/v1/connect/intentions/exact?source=cache&destination=db").statusCode()).isEqualTo(200);
		HttpResponse<String> delete = http.send("DELETE", "/v1/connect/intentions/exact?source=cache&destination=db&dc=west",
				null);
		assertThat(delete.statusCode()).isEqualTo(200);
		assertThat(http.get("/v1/connect/intentions/exact?source=cache&destination=db").statusCode()).isEqualTo(404);
	}

	@Test
	void theAgentsOwnEndpointsDoNotReadDc() {
		assertThat(http.get("/v1/agent/services?dc=west").statusCode()).isEqualTo(200);
		assertThat(http.get("/v1/agent/service/web-1?dc=west").statusCode()).isEqualTo(200);
		assertThat(http.get("/v1/agent/checks?dc=west").statusCode()).isEqualTo(200);
		assertThat(http.get("/v1/agent/self?dc=west").statusCode()).isEqualTo(200);
		HttpResponse<String> authorize = http.send("POST", "/v1/agent/connect/authorize?dc=west",
				"{\"Target\":\"db\",\"ClientCertURI\":\"spiffe://" + agent.trustDomain().name()
						+ "/ns/default/dc/east/svc/web\"}");
		assertThat(authorize.statusCode()).isEqualTo(200);
		assertThat(AgentHttp.json(authorize).get("Authorized").asBoolean()).isTrue();
	}

	private static String withDc(String path, String dc) {
		return path + (path.contains("?") ? "&" : "?") + "dc=" + dc;
	}

}
