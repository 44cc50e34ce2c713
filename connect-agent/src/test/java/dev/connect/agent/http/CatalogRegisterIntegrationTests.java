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

/**
 * {@code PUT /v1/catalog/register} and {@code /deregister}: external nodes and their services show in the catalog
 * and health views beside the agent's own node, which they never change.
 */
class CatalogRegisterIntegrationTests {

	/** An external database on its own node, with a node check and a service check. */
	static final String DATABASE = """
			{"Node":"db-node","Address":"10.0.0.7","ID":"40e4a748-2192-161a-0510-9bf59fe950b5",
			 "TaggedAddresses":{"wan":"192.0.2.7"},"NodeMeta":{"rack":"r1"},
			 "Service":{"ID":"db-1","Service":"db","Port":5432,"Tags":["primary"],"Meta":{"engine":"pg"}},
			 "Checks":[{"CheckID":"db-node-alive","Name":"node alive","Status":"passing"},
			           {"Name":"db ping","ServiceID":"db-1","Status":"passing","Output":"pong"}]}""";

	private DevAgent agent;

	private AgentHttp http;

	@BeforeEach
	void startAgent() {
		this.agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0));
		this.http = new AgentHttp(this.agent);
		this.http.put("/v1/agent/service/register", """
				{"ID":"web-1","Name":"web","Port":8080}""");
	}

	@AfterEach
	void stopAgent() {
		this.agent.close();
	}

	@Test
	void whenAnExternalServiceIsRegisteredThenTheCatalogAndHealthViewsShowItOnItsNode() {
		HttpResponse<String> registered = this.http.put("/v1/catalog/register", DATABASE);
		assertThat(registered.statusCode()).isEqualTo(200);
		assertThat(registered.body().trim()).isEqualTo("true");
		JsonNode service = AgentHttp.json(this.http.get("/v1/catalog/service/db"));
		assertThat(service).hasSize(1);
		assertThat(service.get(0).get("Node").asString()).isEqualTo("db-node");
		assertThat(service.get(0).get("Address").asString()).isEqualTo("10.0.0.7");
		assertThat(service.get(0).get("ID").asString()).isEqualTo("40e4a748-2192-161a-0510-9bf59fe950b5");
		assertThat(service.get(0).get("NodeMeta").get("rack").asString()).isEqualTo("r1");
		assertThat(service.get(0).get("ServiceTags").get(0).asString()).isEqualTo("primary");
		JsonNode health = AgentHttp.json(this.http.get("/v1/health/service/db?passing=true"));
		assertThat(health).hasSize(1);
		assertThat(health.get(0).get("Node").get("TaggedAddresses").get("wan").asString()).isEqualTo("192.0.2.7");
		assertThat(health.get(0).get("Checks")).extracting((check) -> check.get("CheckID").asString())
			.containsExactly("db-node-alive", "db ping");
		assertThat(AgentHttp.json(this.http.get("/v1/catalog/services")).has("db")).isTrue();
		assertThat(AgentHttp.json(this.http.get("/v1/catalog/nodes")))
			.extracting((node) -> node.get("Node").asString())
			.containsExactlyInAnyOrder("db-node", this.agent.settings().nodeName());
		JsonNode node = AgentHttp.json(this.http.get("/v1/catalog/node/db-node"));
		assertThat(node.get("Node").get("Address").asString()).isEqualTo("10.0.0.7");
		assertThat(node.get("Services").propertyNames()).containsExactly("db-1");
		assertThat(AgentHttp.json(this.http.get("/v1/health/node/db-node")))
			.extracting((check) -> check.get("CheckID").asString())
			.containsExactly("db ping", "db-node-alive");
	}

	@Test
	void theAgentsOwnNodeAndServicesStayAsTheyWere() {
		this.http.put("/v1/catalog/register", DATABASE);
		JsonNode own = AgentHttp.json(this.http.get("/v1/catalog/node/" + this.agent.settings().nodeName()));
		assertThat(own.get("Services").propertyNames()).containsExactly("web-1");
		assertThat(AgentHttp.json(this.http.get("/v1/agent/services")).propertyNames()).containsExactly("web-1");
		assertThat(AgentHttp.json(this.http.get("/v1/health/node/" + this.agent.settings().nodeName())))
			.extracting((check) -> check.get("CheckID").asString())
			.containsExactly("serfHealth");
	}

	@Test
	void aCheckWithoutAStatusIsCriticalAndKeepsThePassingFilterFromAnsweringTheService() {
		this.http.put("/v1/catalog/register", """
				{"Node":"cache-node","Address":"10.0.0.8","Service":{"Service":"cache","Port":6379},
				 "Check":{"Name":"cache ping","ServiceID":"cache"}}""");
		assertThat(AgentHttp.json(this.http.get("/v1/health/state/critical")))
			.extracting((check) -> check.get("CheckID").asString())
			.containsExactly("cache ping");
		assertThat(AgentHttp.json(this.http.get("/v1/health/service/cache"))).hasSize(1);
		assertThat(AgentHttp.json(this.http.get("/v1/health/service/cache?passing"))).isEmpty();
	}

	@Test
	void blockedHealthQueriesWakeOnExternalRegistrationsAndDeregistrations() throws Exception {
		HttpResponse<String> first = this.http.get("/v1/health/service/db");
		assertThat(AgentHttp.json(first)).isEmpty();
		long index = AgentHttp.index(first);
		CompletableFuture<HttpResponse<String>> blocked = CompletableFuture
			.supplyAsync(() -> this.http.get("/v1/health/service/db?index=" + index + "&wait=30s"));
		this.http.put("/v1/catalog/register", DATABASE);
		HttpResponse<String> woken = blocked.get(20, TimeUnit.SECONDS);
		assertThat(AgentHttp.json(woken)).hasSize(1);
		long registeredAt = AgentHttp.index(woken);
		assertThat(registeredAt).isGreaterThan(index);
		CompletableFuture<HttpResponse<String>> again = CompletableFuture
			.supplyAsync(() -> this.http.get("/v1/health/service/db?index=" + registeredAt + "&wait=30s"));
		this.http.put("/v1/catalog/deregister", """
				{"Node":"db-node","ServiceID":"db-1"}""");
		assertThat(AgentHttp.json(again.get(20, TimeUnit.SECONDS))).isEmpty();
	}

	@Test
	void deregisteringByCheckServiceOrNodeRemovesJustThat() {
		this.http.put("/v1/catalog/register", DATABASE);
		assertThat(this.http.put("/v1/catalog/deregister", """
				{"Node":"db-node","CheckID":"db-node-alive"}""").body().trim()).isEqualTo("true");
		assertThat(AgentHttp.json(this.http.get("/v1/health/node/db-node")))
			.extracting((check) -> check.get("CheckID").asString())
			.containsExactly("db ping");
		this.http.put("/v1/catalog/deregister", """
				{"Node":"db-node","ServiceID":"db-1"}""");
		assertThat(AgentHttp.json(this.http.get("/v1/health/node/db-node"))).isEmpty();
		assertThat(AgentHttp.json(this.http.get("/v1/catalog/node/db-node")).get("Services").isEmpty()).isTrue();
		this.http.put("/v1/catalog/deregister", """
				{"Node":"db-node"}""");
		assertThat(this.http.get("/v1/catalog/node/db-node").body().trim()).isEqualTo("null");
		assertThat(this.http.put("/v1/catalog/deregister", """
				{"Node":"never-registered"}""").body().trim()).isEqualTo("true");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			{"Address":"10.0.0.9"}                                               | Must provide node
			{"Node":"n"}                                                         | Must provide address if SkipNodeUpdate is not set
			{"Node":"n","Address":"a","ID":"nope"}                               | Bad node ID: uuid string is wrong length
			{"Node":"n","Address":"a","Service":{"ID":"x"}}                      | Must provide service name with ID
			{"Node":"n","Address":"a","Service":{"Service":"x","Address":"0.0.0.0"}} | Invalid service address
			{"Node":"n","Address":"a","Check":{"Name":"c","ServiceID":"absent"}}  | Missing service registration
			{"Node":"n","SkipNodeUpdate":true,"Service":{"Service":"x"}}         | Missing node registration
			""")
	void whenARegistrationIsRefusedThenConsulsErrorIsAnsweredAndNothingChanges(String body, String message) {
		HttpResponse<String> refused = this.http.put("/v1/catalog/register", body);
		assertThat(refused.statusCode()).isEqualTo(500);
		assertThat(refused.body()).isEqualTo(message);
		assertThat(AgentHttp.json(this.http.get("/v1/catalog/nodes"))).hasSize(1);
		assertThat(AgentHttp.json(this.http.get("/v1/catalog/services")).propertyNames())
			.containsExactlyInAnyOrder("consul", "web");
	}

	@Test
	void theAgentsOwnNodeIsRefusedAndAnUndecodableBodyIsABadRequest() {
		String own = this.agent.settings().nodeName();
		HttpResponse<String> refused = this.http.put("/v1/catalog/register",
				"{\"Node\":\"" + own + "\",\"Address\":\"127.0.0.1\",\"Service\":{\"Service\":\"x\"}}");
		assertThat(refused.statusCode()).isEqualTo(500);
		assertThat(refused.body()).startsWith("Node '" + own + "' is the dev agent's own node");
		assertThat(this.http.put("/v1/catalog/deregister", "{\"Node\":\"" + own + "\"}").statusCode()).isEqualTo(500);
		assertThat(AgentHttp.json(this.http.get("/v1/agent/services")).propertyNames()).containsExactly("web-1");
		HttpResponse<String> undecodable = this.http.put("/v1/catalog/register", "{\"Node\":[1]}");
		assertThat(undecodable.statusCode()).isEqualTo(400);
		assertThat(undecodable.body()).startsWith("Request decode failed: ");
		assertThat(this.http.put("/v1/catalog/deregister", "{}").body()).isEqualTo("Must provide node");
	}

}
