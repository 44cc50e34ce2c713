package dev.connect.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.api.AuthorizeRequest;
import dev.connect.api.CaRoots;
import dev.connect.api.CheckDefinition;
import dev.connect.api.Indexed;
import dev.connect.api.ServiceEntry;
import dev.connect.api.ServiceRegistration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The core client against the real dev agent (these tests live here because connect-core cannot depend on the
 * agent).
 */
class AgentClientIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private DevAgent agent;

	private AgentClient client;

	@BeforeEach
	void start() {
		this.agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0).withAclManagementToken("secret"));
		this.client = AgentClient.create(new AgentClientSettings(URI.create(this.agent.httpAddress()), "secret",
				Duration.ofSeconds(5), null));
	}

	@AfterEach
	void stop() {
		this.agent.close();
	}

	@Test
	void readsRootsAndLeafWithTheirIndexes() {
		Indexed<CaRoots> roots = this.client.roots(0, Duration.ZERO).block(TIMEOUT);
		assertThat(roots.index()).isPositive();
		assertThat(roots.value().trustDomain()).isEqualTo(this.agent.trustDomain().name());
		assertThat(this.client.leaf("web", 0, Duration.ZERO).block(TIMEOUT).value().service()).isEqualTo("web");
	}

	@Test
	void registersAServiceWithATtlCheckAndFindsItHealthyAfterAnUpdate() {
		this.client.register(ServiceRegistration.connectNative("web-1", "web", "127.0.0.1", 8443,
				List.of(CheckDefinition.ttl("web-1-ttl", "30s", "1m")))).block(TIMEOUT);
		assertThat(this.client.healthConnect("web", true, 0, Duration.ZERO).block(TIMEOUT).value()).isEmpty();
		this.client.updateTtl("web-1-ttl", "passing", "ok").block(TIMEOUT);
		List<ServiceEntry> healthy = this.client.healthConnect("web", true, 0, Duration.ZERO).block(TIMEOUT).value();
		assertThat(healthy).hasSize(1);
		assertThat(healthy.get(0).service().port()).isEqualTo(8443);
		assertThat(healthy.get(0).service().connectNative()).isTrue();
		this.client.deregister("web-1").block(TIMEOUT);
		assertThat(this.client.healthConnect("web", false, 0, Duration.ZERO).block(TIMEOUT).value()).isEmpty();
	}

	@Test
	void authorizesAndMatchesIntentions() {
		String caller = "spiffe://" + this.agent.trustDomain() + "/ns/default/dc/dc1/svc/web";
		assertThat(this.client.authorize(new AuthorizeRequest("db", caller, "01")).block(TIMEOUT).authorized()).isFalse();
		assertThat(this.client.intentionsFor("db", 0, Duration.ZERO).block(TIMEOUT).value()).isEmpty();
	}

	@Test
	void watchEmitsTheFirstAnswerAndEachChange() throws Exception {
		List<Indexed<List<ServiceEntry>>> seen = new CopyOnWriteArrayList<>();
		Disposable watch = this.client
			.watch("health of web", Duration.ofSeconds(30),
					(index, wait) -> this.client.healthConnect("web", false, index, wait))
			.subscribe(seen::add);
		try {
			await(() -> seen.size() == 1);
			this.client.register(ServiceRegistration.connectNative("web-1", "web", "127.0.0.1", 1, List.of()))
				.block(TIMEOUT);
			await(() -> seen.size() == 2);
			assertThat(seen.get(1).value()).hasSize(1);
			assertThat(seen.get(1).index()).isGreaterThan(seen.get(0).index());
		}
		finally {
			watch.dispose();
		}
	}

	@Test
	void errorsNameTheCallAndTheAgentButNeverTheToken() {
		AgentClient wrongToken = AgentClient.create(this.client.settings().withToken("not-the-token"));
		assertThatThrownBy(() -> wrongToken.leaf("web", 0, Duration.ZERO).block(TIMEOUT))
			.isInstanceOf(AgentException.class)
			.hasMessage("Agent at " + this.agent.httpAddress() + " answered 403 to GET /v1/agent/connect/ca/leaf/web: "
					+ "ACL not found")
			.hasMessageNotContaining("not-the-token");
		AgentClient nobody = AgentClient.create(AgentClientSettings.defaults()
			.withToken(null)
			.withAddress(URI.create("http://127.0.0.1:1")));
		assertThatThrownBy(() -> nobody.roots(0, Duration.ZERO).block(TIMEOUT)).isInstanceOf(AgentException.class)
			.hasMessageStartingWith("Unable to reach the agent at http://127.0.0.1:1 for GET /v1/agent/connect/ca/roots")
			.satisfies((error) -> assertThat(((AgentException) error).answered()).isFalse());
	}

	@Test
	void aMalformedIndexHeaderIsAnUnreadableAnswerNotAnUnreachableAgent() {
		DisposableServer peer = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.get("/v1/agent/connect/ca/roots",
					(request, response) -> response.header("X-Consul-Index", "not-a-number")
						.header("Content-Type", "application/json")
						.sendString(Mono.just("{\"ActiveRootID\":\"\",\"TrustDomain\":\"\",\"Roots\":[]}"))))
			.bindNow();
		try {
			AgentClient client = AgentClient.create(AgentClientSettings.defaults()
				.withToken(null)
				.withAddress(URI.create("http://127.0.0.1:" + peer.port())));
			assertThatThrownBy(() -> client.roots(0, Duration.ZERO).block(TIMEOUT)).isInstanceOf(AgentException.class)
				.hasMessageStartingWith("Unable to read the answer of the agent at http://127.0.0.1:" + peer.port()
						+ " to GET /v1/agent/connect/ca/roots")
				.hasMessageContaining("not-a-number");
		}
		finally {
			peer.disposeNow();
		}
	}

	static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition not reached in time").isLessThan(deadline);
			Thread.sleep(20);
		}
	}

}
