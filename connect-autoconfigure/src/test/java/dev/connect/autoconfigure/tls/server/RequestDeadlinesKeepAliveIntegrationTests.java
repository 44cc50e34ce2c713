package dev.connect.autoconfigure.tls.server;

import java.time.Duration;

import dev.connect.autoconfigure.TestAgents;
import dev.connect.test.TestMesh;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kept-alive connections that are used, against a real WebFlux application with the starter, over real TLS: the
 * idle and request-header timeouts (1 s each) never cut a connection that keeps sending requests, a handler that
 * takes longer than both, or a request pipelined behind it; and after the last answer the idle timeout runs again.
 */
class RequestDeadlinesKeepAliveIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	/** Longer than both timeouts. */
	private static final Duration SLOW_HANDLER = Duration.ofMillis(2500);

	private static TestMesh mesh;

	private static ConfigurableApplicationContext app;

	private static RawTlsCaller connect() throws Exception {
		return RawTlsCaller.connect(TestAgents.identity(mesh.agent(), "web"),
				Integer.parseInt(app.getEnvironment().getProperty("local.server.port")));
	}

	@BeforeAll
	static void start() {
		mesh = TestMesh.start();
		mesh.allow("web", "counting");
		app = new SpringApplicationBuilder(App.class)
			.properties("server.port=0", "spring.application.name=counting", "connect.agent.url=" + mesh.agentUrl(),
					"connect.tls.server.idle-timeout=1s", "connect.tls.server.request-header-timeout=1s")
			.run();
	}

	@AfterAll
	static void stop() {
		app.close();
		mesh.close();
	}

	@Test
	void aConnectionServingRequestsWithShortPausesIsNotCut() throws Exception {
		try (RawTlsCaller caller = connect()) {
			for (int request = 0; request < 6; request++) {
				Thread.sleep(TIMEOUT.toMillis() / 2);
				caller.send("GET /hello HTTP/1.1\r\nHost: mesh\r\n\r\n");
				assertThat(caller.readResponse().status()).as("request " + request).isEqualTo(200);
			}
		}
	}

	@Test
	void aHandlerSlowerThanBothTimeoutsIsAnsweredAndTheConnectionServesTheNextRequest() throws Exception {
		try (RawTlsCaller caller = connect()) {
			caller.send("GET /slow HTTP/1.1\r\nHost: mesh\r\n\r\n");
			RawTlsCaller.Response slow = caller.readResponse();
			assertThat(slow.status()).isEqualTo(200);
			assertThat(slow.body()).isEqualTo("slow");
			caller.send("GET /hello HTTP/1.1\r\nHost: mesh\r\n\r\n");
			assertThat(caller.readResponse().status()).isEqualTo(200);
		}
	}

	@Test
	void aRequestPipelinedBehindAnAnsweredOneIsNotCutWhileItsHandlerRuns() throws Exception {
		try (RawTlsCaller caller = connect()) {
			// Answering /hello leaves /slow unanswered: the idle timeout must not start then.
			caller.send("GET /hello HTTP/1.1\r\nHost: mesh\r\n\r\nGET /slow HTTP/1.1\r\nHost: mesh\r\n\r\n");
			assertThat(caller.readResponse().body()).isEqualTo("hello");
			assertThat(caller.readResponse().body()).isEqualTo("slow");
		}
	}

	@Test
	void afterTheLastAnswerAnIdleConnectionIsDisconnectedAfterTheIdleTimeout() throws Exception {
		try (RawTlsCaller caller = connect()) {
			long sent = System.nanoTime();
			caller.send("GET /slow HTTP/1.1\r\nHost: mesh\r\n\r\n");
			assertThat(caller.readResponse().status()).isEqualTo(200);
			long answered = System.nanoTime();
			RawTlsCaller.Closed closed = caller.awaitClose(TIMEOUT.plusSeconds(5));
			assertThat(closed).as("closed by the server").isNotNull();
			long now = System.nanoTime();
			// The server's idle timeout starts when it has written the answer: after the request, before the
			// client has read the answer.
			assertThat(Duration.ofNanos(now - sent)).as("from the request").isGreaterThanOrEqualTo(SLOW_HANDLER.plus(TIMEOUT));
			assertThat(Duration.ofNanos(now - answered)).as("from the answer").isLessThanOrEqualTo(TIMEOUT.plusSeconds(5));
			assertThat(closed.received()).as("what the server sent after the answer").isEmpty();
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		RouterFunction<ServerResponse> routes() {
			return RouterFunctions.route()
				.GET("/hello", (request) -> ServerResponse.ok().bodyValue("hello"))
				.GET("/slow", (request) -> Mono.delay(SLOW_HANDLER).then(ServerResponse.ok().bodyValue("slow")))
				.build();
		}

	}

}
