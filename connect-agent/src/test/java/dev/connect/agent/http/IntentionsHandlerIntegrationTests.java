package dev.connect.agent.http;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class IntentionsHandlerIntegrationTests {

	private DevAgent agent;

	private AgentHttp http;

	@BeforeEach
	void startAgent() {
		this.agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0));
		this.http = new AgentHttp(this.agent);
	}

	@AfterEach
	void stopAgent() {
		this.agent.close();
	}

	@Test
	void exactApiCreatesReadsAndDeletesAnIntention() {
		HttpResponse<String> put = this.http.put("/v1/connect/intentions/exact?source=web&destination=db",
				"{\"Action\":\"allow\",\"Description\":\"web reads db\"}");
		assertThat(put.statusCode()).isEqualTo(200);
		assertThat(put.body()).isEqualTo("true\n");
		HttpResponse<String> get = this.http.get("/v1/connect/intentions/exact?source=web&destination=db");
		assertThat(get.statusCode()).isEqualTo(200);
		JsonNode intention = AgentHttp.json(get);
		assertThat(intention.propertyNames()).containsExactly("Description", "SourceNS", "SourceName",
				"DestinationNS", "DestinationName", "SourceType", "Action", "Precedence", "CreateIndex", "ModifyIndex");
		assertThat(intention.get("SourceNS").asString()).isEqualTo("default");
		assertThat(intention.get("Precedence").asInt()).isEqualTo(9);
		assertThat(intention.get("Action").asString()).isEqualTo("allow");
		assertThat(AgentHttp.index(get)).isEqualTo(intention.get("ModifyIndex").asLong());
		HttpResponse<String> delete = this.http.send("DELETE", "/v1/connect/intentions/exact?source=web&destination=db",
				null);
		assertThat(delete.body()).isEqualTo("true\n");
		HttpResponse<String> missing = this.http.get("/v1/connect/intentions/exact?source=web&destination=db");
		assertThat(missing.statusCode()).isEqualTo(404);
		assertThat(missing.body()).contains("Intention not found");
	}

	@Test
	void refusedWritesAnswerConsulsErrorsAndChangeNothing() {
		HttpResponse<String> badAction = this.http.put("/v1/connect/intentions/exact?source=web&destination=db",
				"{\"Action\":\"permit\"}");
		assertThat(badAction.statusCode()).isEqualTo(500);
		assertThat(badAction.body()).isEqualTo("1 error occurred:\n\t* Action must be set to 'allow' or 'deny'\n\n");
		HttpResponse<String> badJson = this.http.put("/v1/connect/intentions/exact?source=web&destination=db", "{");
		assertThat(badJson.statusCode()).isEqualTo(400);
		assertThat(badJson.body()).startsWith("Request decode failed: ");
		HttpResponse<String> noSource = this.http.put("/v1/connect/intentions/exact?destination=db", "{\"Action\":\"allow\"}");
		assertThat(noSource.statusCode()).isEqualTo(500);
		assertThat(noSource.body()).isEqualTo("required query parameter 'source' not set");
		HttpResponse<String> tooManySlashes = this.http.get("/v1/connect/intentions/exact?source=a/b/c/d&destination=db");
		assertThat(tooManySlashes.body()).isEqualTo("source \"a/b/c/d\" is invalid: input can contain at most two '/'");
		assertThat(this.http.get("/v1/connect/intentions").body()).isEqualTo("[]\n");
	}

	@Test
	void legacyIdApiCreatesUpdatesAndDeletesByUuid() {
		HttpResponse<String> created = this.http.send("POST", "/v1/connect/intentions",
				"{\"SourceName\":\"web\",\"DestinationName\":\"db\",\"Action\":\"allow\"}");
		assertThat(created.statusCode()).isEqualTo(200);
		String id = AgentHttp.json(created).get("ID").asString();
		JsonNode read = AgentHttp.json(this.http.get("/v1/connect/intentions/" + id));
		assertThat(read.get("ID").asString()).isEqualTo(id);
		assertThat(read.has("CreatedAt")).isTrue();
		HttpResponse<String> duplicate = this.http.send("POST", "/v1/connect/intentions",
				"{\"SourceName\":\"web\",\"DestinationName\":\"db\",\"Action\":\"deny\"}");
		assertThat(duplicate.statusCode()).isEqualTo(500);
		assertThat(duplicate.body()).contains("duplicate intention found");
		HttpResponse<String> updated = this.http.put("/v1/connect/intentions/" + id,
				"{\"SourceName\":\"web\",\"DestinationName\":\"db\",\"Action\":\"deny\"}");
		assertThat(AgentHttp.json(updated).get("ID").asString()).isEqualTo(id);
		assertThat(AgentHttp.json(this.http.get("/v1/connect/intentions/" + id)).get("Action").asString())
			.isEqualTo("deny");
		assertThat(this.http.send("DELETE", "/v1/connect/intentions/" + id, null).body()).isEqualTo("true\n");
		assertThat(this.http.get("/v1/connect/intentions/" + id).statusCode()).isEqualTo(404);
		assertThat(this.http.get("/v1/connect/intentions/not-a-uuid").statusCode()).isEqualTo(400);
		HttpResponse<String> deleteMissing = this.http.send("DELETE", "/v1/connect/intentions/" + id, null);
		assertThat(deleteMissing.body()).isEqualTo("Cannot delete non-existent intention: '" + id + "'");
	}

	@Test
	void matchAnswersPerNameInEvaluationOrderAndBlocksUntilAChange() throws Exception {
		this.http.put("/v1/connect/intentions/exact?source=*&destination=db", "{\"Action\":\"deny\"}");
		this.http.put("/v1/connect/intentions/exact?source=web&destination=db", "{\"Action\":\"allow\"}");
		HttpResponse<String> match = this.http.get("/v1/connect/intentions/match?by=destination&name=db&name=other");
		JsonNode matches = AgentHttp.json(match);
		assertThat(matches.propertyNames()).containsExactly("db", "other");
		assertThat(matches.get("db").get(0).get("SourceName").asString()).isEqualTo("web");
		assertThat(matches.get("db").get(1).get("SourceName").asString()).isEqualTo("*");
		assertThat(matches.get("other")).isEmpty();
		long index = AgentHttp.index(match);
		CompletableFuture<HttpResponse<String>> blocked = CompletableFuture.supplyAsync(
				() -> this.http.get("/v1/connect/intentions/match?by=destination&name=db&index=" + index + "&wait=30s"));
		Thread.sleep(200);
		assertThat(blocked).isNotDone();
		this.http.put("/v1/connect/intentions/exact?source=web&destination=db", "{\"Action\":\"deny\"}");
		HttpResponse<String> woken = blocked.get(5, TimeUnit.SECONDS);
		assertThat(AgentHttp.index(woken)).isGreaterThan(index);
		assertThat(AgentHttp.json(woken).get("db").get(0).get("Action").asString()).isEqualTo("deny");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"', value = { "| required query parameter 'by' not set",
			"by=sideways&name=db | 'by' parameter must be one of 'source' or 'destination'",
			"by=source | required query parameter 'name' not set" })
	void matchWithoutItsParametersIsAnError(String query, String message) {
		HttpResponse<String> response = this.http.get("/v1/connect/intentions/match?" + ((query != null) ? query : ""));
		assertThat(response.statusCode()).isEqualTo(500);
		assertThat(response.body()).isEqualTo(message);
	}

	@Test
	void checkFollowsIntentionsAndTheDefaultDenyPolicy() {
		assertThat(AgentHttp.json(this.http.get("/v1/connect/intentions/check?source=web&destination=db"))
			.get("Allowed").asBoolean()).isFalse();
		this.http.put("/v1/connect/intentions/exact?source=web&destination=db", "{\"Action\":\"allow\"}");
		assertThat(AgentHttp.json(this.http.get("/v1/connect/intentions/check?source=web&destination=db"))
			.get("Allowed").asBoolean()).isTrue();
	}

}
