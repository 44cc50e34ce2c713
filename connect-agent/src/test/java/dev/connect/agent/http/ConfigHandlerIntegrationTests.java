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

class ConfigHandlerIntegrationTests {

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
	void serviceDefaultsAreWrittenReadListedAndDeletedWithConsulsShapes() {
		HttpResponse<String> put = this.http.put("/v1/config",
				"{\"Kind\":\"service-defaults\",\"Name\":\"api\",\"Protocol\":\"HTTP\"}");
		assertThat(put.statusCode()).isEqualTo(200);
		assertThat(put.body()).isEqualTo("true\n");
		HttpResponse<String> get = this.http.get("/v1/config/service-defaults/api");
		JsonNode entry = AgentHttp.json(get);
		assertThat(entry.propertyNames()).containsExactly("Kind", "Name", "Protocol", "TransparentProxy", "MeshGateway",
				"Expose", "CreateIndex", "ModifyIndex");
		assertThat(entry.get("Protocol").asString()).isEqualTo("http");
		assertThat(entry.get("TransparentProxy").isEmpty()).isTrue();
		assertThat(AgentHttp.index(get)).isEqualTo(entry.get("ModifyIndex").asLong());
		JsonNode list = AgentHttp.json(this.http.get("/v1/config/service-defaults"));
		assertThat(list).hasSize(1);
		assertThat(list.get(0).get("Name").asString()).isEqualTo("api");
		HttpResponse<String> delete = this.http.send("DELETE", "/v1/config/service-defaults/api", null);
		assertThat(delete.statusCode()).isEqualTo(200);
		assertThat(delete.body()).isEqualTo("{}\n");
		HttpResponse<String> missing = this.http.get("/v1/config/service-defaults/api");
		assertThat(missing.statusCode()).isEqualTo(404);
		assertThat(missing.body()).isEqualTo("Config entry not found for \"service-defaults\" / \"api\"");
		assertThat(this.http.get("/v1/config/service-defaults").body()).isEqualTo("[]\n");
	}

	@Test
	void checkAndSetWritesAndDeletesAnswerWhetherTheyWon() {
		String body = "{\"Kind\":\"service-defaults\",\"Name\":\"api\",\"Protocol\":\"http\"}";
		assertThat(this.http.put("/v1/config?cas=0", body).body()).isEqualTo("true\n");
		assertThat(this.http.put("/v1/config?cas=0", body).body()).isEqualTo("false\n");
		long modifyIndex = AgentHttp.json(this.http.get("/v1/config/service-defaults/api")).get("ModifyIndex").asLong();
		assertThat(this.http.put("/v1/config?cas=" + (modifyIndex + 1), body).body()).isEqualTo("false\n");
		assertThat(this.http.put("/v1/config?cas=" + modifyIndex, body.replace("http", "grpc")).body())
			.isEqualTo("true\n");
		JsonNode updated = AgentHttp.json(this.http.get("/v1/config/service-defaults/api"));
		assertThat(updated.get("Protocol").asString()).isEqualTo("grpc");
		assertThat(updated.get("CreateIndex").asLong()).isEqualTo(modifyIndex);
		assertThat(this.http.send("DELETE", "/v1/config/service-defaults/api?cas=" + modifyIndex, null).body())
			.isEqualTo("false\n");
		assertThat(this.http.send("DELETE", "/v1/config/service-defaults/api?cas="
				+ updated.get("ModifyIndex").asLong(), null).body()).isEqualTo("true\n");
		HttpResponse<String> badCas = this.http.put("/v1/config?cas=x", body);
		assertThat(badCas.statusCode()).isEqualTo(500);
		assertThat(badCas.body()).isEqualTo("strconv.ParseUint: parsing \"x\": invalid syntax");
	}

	@Test
	void proxyDefaultsAndMeshAreSingletons() {
		assertThat(this.http.put("/v1/config",
				"{\"Kind\":\"proxy-defaults\",\"Name\":\"global\",\"Config\":{\"protocol\":\"http\"}}").body())
			.isEqualTo("true\n");
		HttpResponse<String> other = this.http.put("/v1/config", "{\"Kind\":\"proxy-defaults\",\"Name\":\"other\"}");
		assertThat(other.statusCode()).isEqualTo(500);
		assertThat(other.body()).isEqualTo("invalid name (\"other\"), only \"global\" is supported");
		assertThat(AgentHttp.json(this.http.get("/v1/config/proxy-defaults/global")).get("Config").get("protocol")
			.asString()).isEqualTo("http");
		assertThat(this.http.put("/v1/config", "{\"Kind\":\"mesh\",\"HTTP\":{\"Incoming\":{\"RequestNormalization\":"
				+ "{\"MergeSlashes\":true,\"PathWithEscapedSlashesAction\":\"REJECT_REQUEST\"}}}}").body())
			.isEqualTo("true\n");
		JsonNode mesh = AgentHttp.json(this.http.get("/v1/config/mesh/mesh"));
		assertThat(mesh.propertyNames()).containsExactly("Kind", "TransparentProxy", "HTTP", "CreateIndex",
				"ModifyIndex");
		assertThat(mesh.get("HTTP").get("Incoming").get("RequestNormalization").get("MergeSlashes").asBoolean())
			.isTrue();
		HttpResponse<String> badAction = this.http.put("/v1/config", "{\"Kind\":\"mesh\",\"HTTP\":{\"Incoming\":"
				+ "{\"RequestNormalization\":{\"HeadersWithUnderscoresAction\":\"IGNORE\"}}}}");
		assertThat(badAction.statusCode()).isEqualTo(500);
		assertThat(badAction.body()).startsWith("no matching HeadersWithUnderscoresAction value found for \"IGNORE\"");
	}

	@Test
	void bodiesConsulCannotDecodeAreRefusedAndChangeNothing() {
		HttpResponse<String> unknownKey = this.http.put("/v1/config",
				"{\"Kind\":\"service-defaults\",\"Name\":\"api\",\"Bogus\":1,\"Namespace\":\"team\"}");
		assertThat(unknownKey.statusCode()).isEqualTo(400);
		assertThat(unknownKey.body()).isEqualTo("Request decoding failed: 2 errors occurred:\n"
				+ "\t* invalid config key \"Bogus\"\n"
				+ "\t* invalid config key \"Namespace\", namespaces are a consul enterprise feature\n\n");
		HttpResponse<String> noKind = this.http.put("/v1/config", "{\"Name\":\"api\"}");
		assertThat(noKind.statusCode()).isEqualTo(400);
		assertThat(noKind.body())
			.isEqualTo("Request decoding failed: Payload does not contain a kind/Kind key at the top level");
		HttpResponse<String> unknownKind = this.http.put("/v1/config", "{\"Kind\":\"widget\",\"Name\":\"api\"}");
		assertThat(unknownKind.statusCode()).isEqualTo(400);
		assertThat(unknownKind.body()).isEqualTo("Request decoding failed: invalid config entry kind: widget");
		HttpResponse<String> router = this.http.put("/v1/config", "{\"Kind\":\"service-router\",\"Name\":\"api\"}");
		assertThat(router.body()).startsWith("Request decoding failed: invalid config entry kind: service-router (");
		HttpResponse<String> badType = this.http.put("/v1/config",
				"{\"Kind\":\"service-defaults\",\"Name\":\"api\",\"Protocol\":{\"a\":1}}");
		assertThat(badType.statusCode()).isEqualTo(400);
		assertThat(badType.body()).isEqualTo("Request decoding failed: 1 error(s) decoding:\n\n"
				+ "* 'Protocol' expected type 'string', got unconvertible type 'map[string]interface {}'");
		assertThat(this.http.get("/v1/config/widget/api").body()).isEqualTo("invalid config entry kind: widget");
		assertThat(this.http.send("DELETE", "/v1/config/widget/api", null).statusCode()).isEqualTo(400);
		assertThat(this.http.send("DELETE", "/v1/config/service-defaults", null).body())
			.isEqualTo("Must provide both a kind and name to delete");
		assertThat(this.http.get("/v1/config/service-defaults").body()).isEqualTo("[]\n");
	}

	@Test
	void aBlockedReadOfAKindWakesOnItsNextWrite() throws Exception {
		this.http.put("/v1/config", "{\"Kind\":\"service-defaults\",\"Name\":\"api\",\"Protocol\":\"tcp\"}");
		HttpResponse<String> first = this.http.get("/v1/config/service-defaults/api");
		long index = AgentHttp.index(first);
		CompletableFuture<HttpResponse<String>> blocked = CompletableFuture
			.supplyAsync(() -> this.http.get("/v1/config/service-defaults/api?index=" + index + "&wait=30s"));
		CompletableFuture<HttpResponse<String>> listBlocked = CompletableFuture
			.supplyAsync(() -> this.http.get("/v1/config/service-defaults?index=" + index + "&wait=30s"));
		this.http.put("/v1/config", "{\"Kind\":\"proxy-defaults\",\"Name\":\"global\"}");
		this.http.put("/v1/config", "{\"Kind\":\"service-defaults\",\"Name\":\"api\",\"Protocol\":\"http\"}");
		HttpResponse<String> woken = blocked.get(20, TimeUnit.SECONDS);
		assertThat(AgentHttp.json(woken).get("Protocol").asString()).isEqualTo("http");
		assertThat(AgentHttp.index(woken)).isGreaterThan(index);
		assertThat(AgentHttp.json(listBlocked.get(20, TimeUnit.SECONDS)).get(0).get("Protocol").asString())
			.isEqualTo("http");
	}

}
