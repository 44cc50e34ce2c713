package dev.connect.autoconfigure.authorization;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.connect.autoconfigure.MeshClient;
import dev.connect.autoconfigure.TestAgents;
import dev.connect.test.TestMesh;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real WebFlux application ('counting') against the dev agent, called over real TLS by identities the agent
 * issued.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConnectAuthorizationIntegrationTests {

	private TestMesh mesh;

	private ConfigurableApplicationContext app;

	@BeforeEach
	void start() {
		this.mesh = TestMesh.start();
		this.app = new SpringApplicationBuilder(App.class)
			.properties("server.port=0", "spring.application.name=counting",
					"connect.agent.url=" + this.mesh.agentUrl(), "connect.authorization.timeout=1s")
			.run();
	}

	@AfterEach
	void stop() {
		this.app.close();
		this.mesh.close();
	}

	private int port() {
		return Integer.parseInt(this.app.getEnvironment().getProperty("local.server.port"));
	}

	private int handled() {
		return this.app.getBean(App.class).handled.get();
	}

	private MeshClient caller(String service) {
		return TestAgents.caller(this.mesh.agent(), service);
	}

	private void intention(String source, String action) {
		if (action.equals("allow")) {
			this.mesh.allow(source, "counting");
		}
		else {
			this.mesh.deny(source, "counting");
		}
	}

	@Test
	void allowedCallerReachesTheHandler() throws Exception {
		intention("web", "allow");
		MeshClient web = caller("web");
		MeshClient.Response response = web.get(port(), "/count");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("1");
		web.get(port(), "/count");
		io.micrometer.core.instrument.MeterRegistry meters = this.app.getBean(io.micrometer.core.instrument.MeterRegistry.class);
		assertThat(meters.get("connect.authorization").tags("outcome", "allowed", "cache", "miss").timer().count())
			.isEqualTo(1);
		assertThat(meters.get("connect.authorization").tags("outcome", "allowed", "cache", "hit").timer().count())
			.isEqualTo(1);
	}

	@Test
	void withoutAnIntentionTheDefaultDenyGives403ProblemAndTheHandlerNeverRuns() throws Exception {
		MeshClient.Response response = caller("web").get(port(), "/count");
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.body()).isEqualTo("{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,"
				+ "\"detail\":\"The caller is not allowed to call this service.\"}");
		assertThat(handled()).isZero();
		assertThat(this.app.getBean(io.micrometer.core.instrument.MeterRegistry.class)
			.get("connect.authorization")
			.tags("outcome", "denied")
			.timer()
			.count()).isEqualTo(1);
		assertThat(this.app.getBean(RecentDenials.class).list()).singleElement().satisfies((denial) -> {
			assertThat(denial.caller()).endsWith("/svc/web");
			assertThat(denial.reason()).isEqualTo("Default intention policy");
		});
	}

	@Test
	void denialsInARowAreLoggedOnceAtInfoWithTheCommandThatWouldAllowThem(CapturedOutput output) throws Exception {
		MeshClient web = caller("web");
		for (int i = 0; i < 5; i++) {
			assertThat(web.get(port(), "/count").status()).isEqualTo(403);
		}
		String denied = "Denied a call from 'web' to 'counting': Default intention policy. "
				+ "To allow it: consul intention create -replace -allow web counting (caller spiffe://";
		assertThat(output.getOut()).containsOnlyOnce(denied);
		assertThat(output.getOut().lines().filter((line) -> line.contains(denied))).singleElement()
			.satisfies((line) -> assertThat(line).contains(" INFO ", "/svc/web)"));
	}

	@Test
	void anIntentionFlipReachesAKeptAliveConnectionWithinASecond() throws Exception {
		intention("web", "allow");
		try (MeshClient.KeptAlive connection = caller("web").open(port())) {
			assertThat(connection.get("/count").status()).isEqualTo(200);
			intention("web", "deny");
			long flipped = System.nanoTime();
			int status = 200;
			while (status == 200 && System.nanoTime() - flipped < Duration.ofSeconds(5).toNanos()) {
				Thread.sleep(20);
				status = connection.get("/count").status();
			}
			long tookMillis = (System.nanoTime() - flipped) / 1_000_000;
			assertThat(status).isEqualTo(403);
			assertThat(tookMillis).as("deny reached the open connection").isLessThan(1500);
			assertThat(connection.requests()).isGreaterThanOrEqualTo(2);
		}
	}

	@Test
	void whenTheAgentIsGoneCachedDecisionsAreServedAndUnknownCallersAreRefused() throws Exception {
		intention("web", "allow");
		MeshClient web = caller("web");
		MeshClient api = caller("api");
		assertThat(web.get(port(), "/count").status()).isEqualTo(200);
		this.mesh.close();
		assertThat(web.get(port(), "/count").status()).as("fail static").isEqualTo(200);
		MeshClient.Response refused = api.get(port(), "/count");
		assertThat(refused.status()).as("fail closed").isEqualTo(503);
		assertThat(refused.body()).contains("Authorization is unavailable");
		assertThat(handled()).isEqualTo(2);
		io.micrometer.core.instrument.MeterRegistry meters = this.app.getBean(io.micrometer.core.instrument.MeterRegistry.class);
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (meters.find("connect.agent.watch.errors").counters().isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		assertThat(meters.get("connect.agent.watch.errors").tag("endpoint", "/v1/agent/connect/ca/roots").counter()
			.count()).isPositive();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		final AtomicInteger handled = new AtomicInteger();

		@Bean
		io.micrometer.core.instrument.simple.SimpleMeterRegistry meterRegistry() {
			return new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
		}

		@Bean
		RouterFunction<ServerResponse> routes() {
			return RouterFunctions.route()
				.GET("/count", (request) -> ServerResponse.ok().bodyValue(String.valueOf(this.handled.incrementAndGet())))
				.build();
		}

	}

}
