package dev.connect.autoconfigure.tls.server;

import java.time.Duration;

import dev.connect.autoconfigure.TestAgents;
import dev.connect.test.TestMesh;
import dev.connect.tls.CertificateSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
 * Callers that complete the handshake and then send nothing, or send their request a byte at a time, against a
 * real WebFlux application with the starter (authorization by a dev agent: {@code web} is allowed to call
 * {@code counting}, {@code dashboard} is not), over real TLS. The idle timeout is 1 s and the request-header timeout
 * 3 s; the pauses between trickled bytes (200 ms) are well within the idle timeout.
 */
class RequestDeadlinesIntegrationTests {

	private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(1);

	private static final Duration REQUEST_HEADER_TIMEOUT = Duration.ofSeconds(3);

	/** Far more bytes than fit in the request-header timeout at one byte per 200 ms. */
	private static final String LONG_REQUEST = "GET /hello HTTP/1.1\r\nHost: mesh\r\nX-Padding: " + "x".repeat(200)
			+ "\r\n\r\n";

	private static final String REQUEST = "GET /hello HTTP/1.1\r\nHost: mesh\r\n\r\n";

	private static TestMesh mesh;

	private static ConfigurableApplicationContext app;

	@BeforeAll
	static void start() {
		mesh = TestMesh.start();
		mesh.allow("web", "counting");
		app = new SpringApplicationBuilder(App.class)
			.properties("server.port=0", "spring.application.name=counting", "connect.agent.url=" + mesh.agentUrl(),
					"connect.tls.server.idle-timeout=" + IDLE_TIMEOUT.toMillis() + "ms",
					"connect.tls.server.request-header-timeout=" + REQUEST_HEADER_TIMEOUT.toMillis() + "ms")
			.run();
	}

	@AfterAll
	static void stop() {
		app.close();
		mesh.close();
	}

	private static int port() {
		return Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
	}

	private static CertificateSource identity(String service) {
		return TestAgents.identity(mesh.agent(), service);
	}

	@Test
	void aCallerThatSendsNothingAfterTheHandshakeIsDisconnectedAfterTheIdleTimeout() throws Exception {
		try (RawTlsCaller silent = RawTlsCaller.connect(identity("web"), port())) {
			RawTlsCaller.Closed closed = silent.awaitClose(IDLE_TIMEOUT.plusSeconds(5));
			assertThat(closed).as("closed by the server").isNotNull();
			assertThat(closed.afterHandshake()).isBetween(IDLE_TIMEOUT, IDLE_TIMEOUT.plusSeconds(5));
			assertThat(closed.received()).as("what the server sent").isEmpty();
		}
	}

	@ParameterizedTest
	@CsvSource({ "web, 200", "dashboard, 403" })
	void aCallerThatSendsItsRequestWithinTheIdleTimeoutIsAnswered(String caller, int status) throws Exception {
		try (RawTlsCaller prompt = RawTlsCaller.connect(identity(caller), port())) {
			Thread.sleep(IDLE_TIMEOUT.toMillis() / 3);
			prompt.send(REQUEST);
			assertThat(prompt.readResponse().status()).isEqualTo(status);
		}
	}

	@ParameterizedTest
	@CsvSource({ "web", "dashboard" })
	void aCallerThatSendsItsHeadersByteByByteIsDisconnectedAfterTheRequestHeaderTimeout(String caller)
			throws Exception {
		try (RawTlsCaller slow = RawTlsCaller.connect(identity(caller), port())) {
			slow.trickle(LONG_REQUEST, Duration.ofMillis(200));
			RawTlsCaller.Closed closed = slow.awaitClose(REQUEST_HEADER_TIMEOUT.plusSeconds(5));
			assertThat(closed).as("closed by the server").isNotNull();
			assertThat(closed.afterFirstTrickledByte()).as("from the first byte")
				.isBetween(REQUEST_HEADER_TIMEOUT, REQUEST_HEADER_TIMEOUT.plusSeconds(5));
			assertThat(slow.trickled()).as("bytes sent, over more than one idle timeout")
				.isGreaterThan((int) (IDLE_TIMEOUT.toMillis() / 200));
			assertThat(slow.trickleFinished()).as("the caller was still sending").isFalse();
			assertThat(closed.received()).as("what the server sent").isEmpty();
		}
	}

	@ParameterizedTest
	@CsvSource({ "web, 200", "dashboard, 403" })
	void aCallerThatSendsItsHeadersByteByByteWithinTheRequestHeaderTimeoutIsAnswered(String caller, int status)
			throws Exception {
		try (RawTlsCaller slow = RawTlsCaller.connect(identity(caller), port())) {
			// 35 bytes, 20 ms apart: about 0.7 s, within the 3 s request-header timeout.
			slow.trickle(REQUEST, Duration.ofMillis(20));
			assertThat(slow.readResponse().status()).isEqualTo(status);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		RouterFunction<ServerResponse> hello() {
			return RouterFunctions.route().GET("/hello", (request) -> ServerResponse.ok().bodyValue("hello")).build();
		}

	}

}
