package dev.connect.agent.http;

import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.agent.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class CatalogIntegrationTests {

	private static final String NATIVE = """
			{"ID":"billing-1","Name":"billing","Port":8443,"Tags":["v2"],"Meta":{"team":"pay"},
			 "Connect":{"Native":true},
			 "Checks":[{"CheckID":"billing-1-ttl","Name":"billing TTL","TTL":"1s","Status":"passing"}]}""";

	private final MutableClock clock = new MutableClock(Instant.now());

	private DevAgent agent;

	private AgentHttp http;

	@BeforeEach
	void startAgent() {
		this.agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0), this.clock, new SecureRandom());
		this.http = new AgentHttp(this.agent);
	}

	@AfterEach
	void stopAgent() {
		this.agent.close();
	}

	@Test
	void connectNativeInstanceIsListedWithTheNodeCheckAndItsOwnChecks() {
		assertThat(this.http.put("/v1/agent/service/register", NATIVE).statusCode()).isEqualTo(200);
		HttpResponse<String> response = this.http.get("/v1/health/connect/billing");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode entry = AgentHttp.json(response).get(0);
		assertThat(entry.propertyNames()).containsExactly("Node", "Service", "Checks");
		assertThat(entry.get("Node").get("Node").asString()).isEqualTo("dev-agent");
		assertThat(entry.get("Node").get("Datacenter").asString()).isEqualTo("dc1");
		JsonNode service = entry.get("Service");
		assertThat(service.get("ID").asString()).isEqualTo("billing-1");
		assertThat(service.get("Service").asString()).isEqualTo("billing");
		assertThat(service.get("Port").asInt()).isEqualTo(8443);
		assertThat(service.get("Connect").get("Native").asBoolean()).isTrue();
		assertThat(service.get("Weights").get("Passing").asInt()).isEqualTo(1);
		List<String> checks = new ArrayList<>();
		entry.get("Checks").forEach((check) -> checks.add(check.get("CheckID").asString() + "=" + check.get("Status").asString()));
		assertThat(checks).containsExactly("serfHealth=passing", "billing-1-ttl=passing");
		assertThat(entry.get("Checks").get(0).get("ServiceTags")).isEmpty();
		assertThat(AgentHttp.index(response)).isEqualTo(service.get("ModifyIndex").asLong());
		assertThat(AgentHttp.json(this.http.get("/v1/health/service/billing"))).hasSize(1);
		assertThat(AgentHttp.json(this.http.get("/v1/health/connect/nothing"))).isEmpty();
		JsonNode catalog = AgentHttp.json(this.http.get("/v1/catalog/connect/billing")).get(0);
		assertThat(catalog.get("ServiceID").asString()).isEqualTo("billing-1");
		assertThat(catalog.get("ServicePort").asInt()).isEqualTo(8443);
		assertThat(catalog.get("Node").asString()).isEqualTo("dev-agent");
	}

	@Test
	void ttlCheckThatIsNotRefreshedTurnsCriticalAndPassingFiltersTheInstanceOut() {
		this.http.put("/v1/agent/service/register", NATIVE);
		assertThat(AgentHttp.json(this.http.get("/v1/health/connect/billing?passing"))).hasSize(1);
		this.clock.advance(Duration.ofSeconds(2));
		String status = eventually(() -> AgentHttp.json(this.http.get("/v1/agent/checks")).get("billing-1-ttl"),
				(check) -> check.get("Status").asString().equals("critical")).get("Output").asString();
		assertThat(status).isEqualTo("TTL expired");
		assertThat(AgentHttp.json(this.http.get("/v1/health/connect/billing?passing"))).isEmpty();
		assertThat(AgentHttp.json(this.http.get("/v1/health/connect/billing"))).hasSize(1);
		assertThat(this.http.put("/v1/agent/check/pass/billing-1-ttl?note=ok", "").statusCode()).isEqualTo(200);
		JsonNode check = AgentHttp.json(this.http.get("/v1/agent/checks")).get("billing-1-ttl");
		assertThat(check.get("Status").asString()).isEqualTo("passing");
		assertThat(check.get("Output").asString()).isEqualTo("ok");
		assertThat(AgentHttp.json(this.http.get("/v1/health/connect/billing?passing=true"))).hasSize(1);
	}

	@Test
	void instanceCriticalLongerThanItsDeregisterTimeIsRemoved() {
		this.http.put("/v1/agent/service/register", """
				{"ID":"flaky-1","Name":"flaky","Port":9000,"Connect":{"Native":true},
				 "Check":{"TTL":"10s","DeregisterCriticalServiceAfter":"1m"}}""");
		assertThat(AgentHttp.json(this.http.get("/v1/agent/checks")).get("service:flaky-1").get("Status").asString())
			.isEqualTo("critical");
		this.clock.advance(Duration.ofSeconds(59));
		assertThat(AgentHttp.json(this.http.get("/v1/health/connect/flaky"))).hasSize(1);
		this.clock.advance(Duration.ofSeconds(2));
		eventually(() -> AgentHttp.json(this.http.get("/v1/health/connect/flaky")), JsonNode::isEmpty);
		assertThat(AgentHttp.json(this.http.get("/v1/agent/checks")).has("service:flaky-1")).isFalse();
	}

	@Test
	void sidecarServiceIsExpandedWithAPortFromTheRangeAndRemovedWithItsParent() {
		this.http.put("/v1/agent/service/register", "{\"Name\":\"web\",\"Port\":8080,\"Connect\":{\"SidecarService\":{}}}");
		JsonNode services = AgentHttp.json(this.http.get("/v1/agent/services"));
		assertThat(services.propertyNames()).containsExactly("web", "web-sidecar-proxy");
		JsonNode proxy = services.get("web-sidecar-proxy");
		assertThat(proxy.get("Kind").asString()).isEqualTo("connect-proxy");
		assertThat(proxy.get("Service").asString()).isEqualTo("web-sidecar-proxy");
		assertThat(proxy.get("Port").asInt()).isEqualTo(21000);
		assertThat(proxy.get("Proxy").get("DestinationServiceName").asString()).isEqualTo("web");
		assertThat(proxy.get("Proxy").get("DestinationServiceID").asString()).isEqualTo("web");
		assertThat(proxy.get("Proxy").get("LocalServiceAddress").asString()).isEqualTo("127.0.0.1");
		assertThat(proxy.get("Proxy").get("LocalServicePort").asInt()).isEqualTo(8080);
		JsonNode checks = AgentHttp.json(this.http.get("/v1/agent/checks"));
		assertThat(checks.get("service:web-sidecar-proxy:1").get("Name").asString()).isEqualTo("Connect Sidecar Listening");
		assertThat(checks.get("service:web-sidecar-proxy:2").get("Name").asString())
			.isEqualTo("Connect Sidecar Aliasing web");
		assertThat(AgentHttp.json(this.http.get("/v1/health/connect/web")).get(0).get("Service").get("ID").asString())
			.isEqualTo("web-sidecar-proxy");
		this.http.put("/v1/agent/service/register", "{\"Name\":\"api\",\"Port\":8081,\"Connect\":{\"SidecarService\":{}}}");
		assertThat(AgentHttp.json(this.http.get("/v1/agent/services")).get("api-sidecar-proxy").get("Port").asInt())
			.isEqualTo(21001);
		assertThat(this.http.put("/v1/agent/service/deregister/web", "").statusCode()).isEqualTo(200);
		assertThat(AgentHttp.json(this.http.get("/v1/agent/services")).propertyNames())
			.containsExactly("api", "api-sidecar-proxy");
		assertThat(this.http.put("/v1/agent/service/deregister/unknown", "").statusCode()).isEqualTo(200);
	}

	@Test
	void httpCheckReallyRunsAgainstTheTarget() throws Exception {
		AtomicInteger status = new AtomicInteger(200);
		DisposableServer target = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.get("/health",
					(request, response) -> response.status(status.get()).sendString(reactor.core.publisher.Mono.just("x"))))
			.bindNow();
		try {
			this.http.put("/v1/agent/service/register", "{\"Name\":\"checked\",\"Port\":" + target.port()
					+ ",\"Connect\":{\"Native\":true},\"Check\":{\"HTTP\":\"http://127.0.0.1:" + target.port()
					+ "/health\",\"Interval\":\"100ms\"}}");
			eventually(() -> AgentHttp.json(this.http.get("/v1/agent/checks")).get("service:checked"),
					(check) -> check.get("Status").asString().equals("passing"));
			status.set(429);
			eventually(() -> AgentHttp.json(this.http.get("/v1/agent/checks")).get("service:checked"),
					(check) -> check.get("Status").asString().equals("warning"));
			status.set(503);
			JsonNode critical = eventually(() -> AgentHttp.json(this.http.get("/v1/agent/checks")).get("service:checked"),
					(check) -> check.get("Status").asString().equals("critical"));
			assertThat(critical.get("Output").asString()).contains("503");
		}
		finally {
			target.disposeNow();
		}
	}

	@Test
	void blockedHealthQueryWakesForItsServiceOnly() throws Exception {
		this.http.put("/v1/agent/service/register", NATIVE);
		long index = AgentHttp.index(this.http.get("/v1/health/connect/billing"));
		CompletableFuture<HttpResponse<String>> blocked = CompletableFuture.supplyAsync(
				() -> this.http.get("/v1/health/connect/billing?index=" + index + "&wait=30s"));
		this.http.put("/v1/agent/service/register", "{\"Name\":\"other\",\"Port\":1,\"Connect\":{\"Native\":true}}");
		Thread.sleep(300);
		assertThat(blocked).as("another service's change does not wake it").isNotDone();
		this.http.put("/v1/agent/service/register",
				"{\"ID\":\"billing-2\",\"Name\":\"billing\",\"Port\":8444,\"Connect\":{\"Native\":true}}");
		HttpResponse<String> woken = blocked.get(5, TimeUnit.SECONDS);
		assertThat(AgentHttp.index(woken)).isGreaterThan(index);
		assertThat(AgentHttp.json(woken)).hasSize(2);
	}

	@Test
	void singleServiceAnswersWithAContentHashAndBlocksOnIt() throws Exception {
		this.http.put("/v1/agent/service/register", NATIVE);
		HttpResponse<String> first = this.http.get("/v1/agent/service/billing-1");
		String hash = first.headers().firstValue("X-Consul-ContentHash").orElseThrow();
		assertThat(AgentHttp.json(first).get("ContentHash").asString()).isEqualTo(hash);
		CompletableFuture<HttpResponse<String>> blocked = CompletableFuture
			.supplyAsync(() -> this.http.get("/v1/agent/service/billing-1?hash=" + hash + "&wait=30s"));
		Thread.sleep(200);
		assertThat(blocked).isNotDone();
		this.http.put("/v1/agent/service/register", NATIVE.replace("\"v2\"", "\"v3\""));
		HttpResponse<String> changed = blocked.get(5, TimeUnit.SECONDS);
		assertThat(changed.headers().firstValue("X-Consul-ContentHash")).isPresent().isNotEqualTo(hash);
		assertThat(this.http.get("/v1/agent/service/nope").statusCode()).isEqualTo(404);
	}

	@Test
	void catalogListsServicesWithTagsAndInstancesFlat() {
		this.http.put("/v1/agent/service/register", NATIVE);
		this.http.put("/v1/agent/service/register", "{\"ID\":\"billing-2\",\"Name\":\"billing\",\"Port\":8444,"
				+ "\"Tags\":[\"canary\"],\"Connect\":{\"Native\":true}}");
		JsonNode services = AgentHttp.json(this.http.get("/v1/catalog/services"));
		assertThat(services.propertyNames()).containsExactly("billing", "consul");
		assertThat(services.get("billing").toString()).isEqualTo("[\"v2\",\"canary\"]");
		JsonNode tagged = AgentHttp.json(this.http.get("/v1/catalog/service/billing?tag=canary"));
		assertThat(tagged).hasSize(1);
		assertThat(tagged.get(0).propertyNames()).contains("ID", "Node", "Address", "Datacenter", "ServiceID",
				"ServiceName", "ServiceTags", "ServicePort", "ServiceConnect", "CreateIndex", "ModifyIndex");
		assertThat(tagged.get(0).get("ServiceID").asString()).isEqualTo("billing-2");
		assertThat(AgentHttp.json(this.http.get("/v1/health/service/billing?tag=v2&tag=canary"))).isEmpty();
	}

	@Test
	void selfAndLeaderNameTheDatacenterAndALeader() {
		JsonNode self = AgentHttp.json(this.http.get("/v1/agent/self"));
		assertThat(self.get("Config").get("Datacenter").asString()).isEqualTo("dc1");
		assertThat(self.get("Config").get("NodeName").asString()).isEqualTo("dev-agent");
		assertThat(self.get("Member").get("Name").asString()).isEqualTo("dev-agent");
		assertThat(this.http.get("/v1/status/leader").body()).isEqualTo("\"127.0.0.1:8300\"\n");
	}

	@Test
	void refusedRegistrationsAnswerConsulsTextAndChangeNothing() {
		assertResponse(this.http.put("/v1/agent/service/register", "{\"Port\":1}"), 400, "Missing service name");
		assertResponse(this.http.put("/v1/agent/service/register", "{\"Name\":\"a\",\"Address\":\"0.0.0.0\"}"), 400,
				"Invalid service address");
		assertResponse(this.http.put("/v1/agent/service/register", "{\"Name\":\"a\",\"Meta\":{\"consul-x\":\"1\"}}"),
				400, "Invalid Service Meta: Couldn't load metadata pair ('consul-x', '1'): Key prefix 'consul-' is "
						+ "reserved for internal use");
		assertResponse(this.http.put("/v1/agent/service/register", "{\"Name\":\"p\",\"Kind\":\"connect-proxy\",\"Port\":1}"),
				400, "Validation failed: 1 error occurred:\n\t* Proxy.DestinationServiceName must be non-empty for "
						+ "Connect proxy services\n\n");
		assertResponse(this.http.put("/v1/agent/service/register", "{\"Name\":\"n\",\"Connect\":{\"Native\":true}}"),
				400, "Validation failed: 1 error occurred:\n\t* Port or SocketPath must be set for a Connect native "
						+ "service.\n\n");
		assertResponse(this.http.put("/v1/agent/service/register",
				"{\"Name\":\"a\",\"Port\":1,\"Check\":{\"TTL\":\"5s\",\"Status\":\"ok\"}}"), 400,
				"Status for checks must 'passing', 'warning', 'critical'");
		assertResponse(this.http.put("/v1/agent/service/register", "{\"Name\":"), 400, null);
		assertThat(AgentHttp.json(this.http.get("/v1/agent/services"))).isEmpty();
		assertResponse(this.http.put("/v1/agent/check/pass/nope", ""), 404,
				"Unknown check ID \"nope\". Ensure that the check ID is passed, not the check name.");
		assertResponse(this.http.put("/v1/agent/check/update/nope", "{\"Status\":\"fine\"}"), 400,
				"Invalid check status: 'fine'");
		assertResponse(this.http.get("/v1/health/service/"), 400, "Missing service name");
		assertResponse(this.http.get("/v1/health/service/web?passing=maybe"), 400, "Invalid value for ?passing");
	}

	@Test
	void passingOnANonTtlCheckIsRefused() {
		this.http.put("/v1/agent/service/register",
				"{\"Name\":\"t\",\"Port\":1,\"Check\":{\"CheckID\":\"tcp\",\"TCP\":\"127.0.0.1:1\",\"Interval\":\"10s\"}}");
		assertResponse(this.http.put("/v1/agent/check/pass/tcp", ""), 500, "CheckID \"tcp\" does not have associated TTL");
	}

	private static void assertResponse(HttpResponse<String> response, int status, String body) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		if (body != null) {
			assertThat(response.body()).isEqualTo(body);
		}
	}

	private static <T> T eventually(Supplier<T> read, java.util.function.Predicate<T> done) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		T value = read.get();
		while (!done.test(value)) {
			assertThat(System.nanoTime()).as("condition not reached in 10 s, last value: " + value).isLessThan(deadline);
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			value = read.get();
		}
		return value;
	}

}
