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

/**
 * Intentions as a view onto service-intentions config entries (Consul 1.9 and later).
 */
class IntentionsViewIntegrationTests {

	private DevAgent agent;

	private AgentHttp http;

	@BeforeEach
	void startAgent() {
		this.agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0).withDefaultIntentionPolicy("deny"));
		this.http = new AgentHttp(this.agent);
	}

	@AfterEach
	void stopAgent() {
		this.agent.close();
	}

	@Test
	void anExactIntentionIsOneSourceOfTheDestinationsEntry() {
		this.http.put("/v1/connect/intentions/exact?source=web&destination=db", "{\"Action\":\"allow\"}");
		this.http.put("/v1/connect/intentions/exact?source=*&destination=db", "{\"Action\":\"deny\"}");
		JsonNode entry = AgentHttp.json(this.http.get("/v1/config/service-intentions/db"));
		assertThat(entry.propertyNames()).containsExactly("Kind", "Name", "Sources", "CreateIndex", "ModifyIndex");
		assertThat(entry.get("Sources")).hasSize(2);
		JsonNode web = entry.get("Sources").get(0);
		assertThat(web.propertyNames()).containsExactly("Name", "Action", "Precedence", "Type");
		assertThat(web.get("Precedence").asInt()).isEqualTo(9);
		JsonNode intention = AgentHttp.json(this.http.get("/v1/connect/intentions/exact?source=web&destination=db"));
		assertThat(intention.get("ModifyIndex").asLong()).isEqualTo(entry.get("ModifyIndex").asLong());
		assertThat(intention.get("CreateIndex").asLong()).isEqualTo(entry.get("CreateIndex").asLong());
		this.http.send("DELETE", "/v1/connect/intentions/exact?source=web&destination=db", null);
		this.http.send("DELETE", "/v1/connect/intentions/exact?source=*&destination=db", null);
		assertThat(this.http.get("/v1/config/service-intentions/db").statusCode())
			.as("the entry goes with its last source").isEqualTo(404);
	}

	@Test
	void anEntryWrittenThroughConfigIsWhatTheIntentionsApiAnswers() {
		this.http.put("/v1/config", "{\"Kind\":\"service-intentions\",\"Name\":\"db\",\"Meta\":{\"team\":\"data\"},"
				+ "\"Sources\":[{\"Name\":\"*\",\"Action\":\"deny\"},{\"Name\":\"web\",\"Action\":\"allow\","
				+ "\"Description\":\"reads\"}]}");
		JsonNode list = AgentHttp.json(this.http.get("/v1/connect/intentions"));
		assertThat(list).hasSize(2);
		assertThat(list.get(0).get("SourceName").asString()).isEqualTo("web");
		assertThat(list.get(0).get("Meta").get("team").asString()).isEqualTo("data");
		assertThat(list.get(0).get("Description").asString()).isEqualTo("reads");
		assertThat(check("web", "db")).isTrue();
		assertThat(check("api", "db")).isFalse();
		HttpResponse<String> sameMeta = this.http.put("/v1/connect/intentions/exact?source=api&destination=db",
				"{\"Action\":\"allow\",\"Meta\":{\"team\":\"data\"}}");
		assertThat(sameMeta.body()).isEqualTo("true\n");
		HttpResponse<String> otherMeta = this.http.put("/v1/connect/intentions/exact?source=api&destination=db",
				"{\"Action\":\"allow\",\"Meta\":{\"team\":\"web\"}}");
		assertThat(otherMeta.statusCode()).isEqualTo(500);
		assertThat(otherMeta.body()).contains("Meta must not be specified, or should be unchanged during an update.");
		assertThat(AgentHttp.json(this.http.get("/v1/config/service-intentions/db")).get("Sources")).hasSize(3);
	}

	@Test
	void legacyIntentionsKeepTheirIdInTheEntryAndMoveWithTheirDestination() {
		String id = AgentHttp.json(this.http.send("POST", "/v1/connect/intentions",
				"{\"SourceName\":\"web\",\"DestinationName\":\"db\",\"Action\":\"allow\",\"Meta\":{\"k\":\"v\"}}"))
			.get("ID")
			.asString();
		JsonNode source = AgentHttp.json(this.http.get("/v1/config/service-intentions/db")).get("Sources").get(0);
		assertThat(source.get("LegacyID").asString()).isEqualTo(id);
		assertThat(source.get("LegacyMeta").get("k").asString()).isEqualTo("v");
		assertThat(source.has("LegacyCreateTime")).isTrue();
		this.http.put("/v1/connect/intentions/" + id,
				"{\"SourceName\":\"web\",\"DestinationName\":\"cache\",\"Action\":\"deny\"}");
		assertThat(this.http.get("/v1/config/service-intentions/db").statusCode()).isEqualTo(404);
		JsonNode moved = AgentHttp.json(this.http.get("/v1/connect/intentions/" + id));
		assertThat(moved.get("DestinationName").asString()).isEqualTo("cache");
		assertThat(moved.get("Action").asString()).isEqualTo("deny");
		this.http.send("DELETE", "/v1/connect/intentions/" + id, null);
		assertThat(this.http.get("/v1/config/service-intentions").body()).isEqualTo("[]\n");
	}

	@Test
	void aSourceOfAPeerIsStoredAsSuchAndNeverMatchesTheLocalServiceOfThatName() {
		this.http.put("/v1/config", "{\"Kind\":\"service-intentions\",\"Name\":\"db\",\"Sources\":["
				+ "{\"Name\":\"web\",\"Peer\":\"other-cluster\",\"Action\":\"allow\"}]}");
		assertThat(check("web", "db")).isFalse();
		JsonNode peered = AgentHttp.json(
				this.http.get("/v1/connect/intentions/exact?source=peer:other-cluster/web&destination=db"));
		assertThat(peered.get("SourcePeer").asString()).isEqualTo("other-cluster");
		assertThat(this.http.get("/v1/connect/intentions/exact?source=web&destination=db").statusCode()).isEqualTo(404);
		assertThat(AgentHttp.json(this.http.get("/v1/connect/intentions/match?by=source&name=web")).get("web"))
			.isEmpty();
		JsonNode authorize = AgentHttp.json(this.http.send("POST", "/v1/agent/connect/authorize",
				"{\"Target\":\"db\",\"ClientCertURI\":\"spiffe://" + this.agent.trustDomain().name()
						+ "/ns/default/dc/dc1/svc/web\"}"));
		assertThat(authorize.get("Authorized").asBoolean()).isFalse();
	}

	@Test
	void aReaderBlockedOnEitherViewWakesOnAWriteThroughTheOther() throws Exception {
		this.http.put("/v1/connect/intentions/exact?source=web&destination=db", "{\"Action\":\"allow\"}");
		long intentionsIndex = AgentHttp.index(this.http.get("/v1/connect/intentions"));
		long entryIndex = AgentHttp.index(this.http.get("/v1/config/service-intentions/db"));
		CompletableFuture<HttpResponse<String>> intentions = CompletableFuture
			.supplyAsync(() -> this.http.get("/v1/connect/intentions?index=" + intentionsIndex + "&wait=30s"));
		this.http.put("/v1/config", "{\"Kind\":\"service-intentions\",\"Name\":\"db\",\"Sources\":["
				+ "{\"Name\":\"web\",\"Action\":\"deny\"}]}");
		assertThat(AgentHttp.json(intentions.get(20, TimeUnit.SECONDS)).get(0).get("Action").asString())
			.isEqualTo("deny");
		long entryIndexAfter = AgentHttp.index(this.http.get("/v1/config/service-intentions/db"));
		assertThat(entryIndexAfter).isGreaterThan(entryIndex);
		CompletableFuture<HttpResponse<String>> entry = CompletableFuture.supplyAsync(
				() -> this.http.get("/v1/config/service-intentions/db?index=" + entryIndexAfter + "&wait=30s"));
		this.http.put("/v1/connect/intentions/exact?source=api&destination=db", "{\"Action\":\"allow\"}");
		assertThat(AgentHttp.json(entry.get(20, TimeUnit.SECONDS)).get("Sources")).hasSize(2);
	}

	private boolean check(String source, String destination) {
		return AgentHttp.json(this.http.get("/v1/connect/intentions/check?source=" + source + "&destination="
				+ destination)).get("Allowed").asBoolean();
	}

}
