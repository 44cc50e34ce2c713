package dev.connect.autoconfigure.tls.server;

import java.time.Duration;

import dev.connect.autoconfigure.TestAgents;
import dev.connect.test.TestMesh;
import org.junit.jupiter.api.Test;
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
 * With {@code server.http2.enabled}, the protocol is chosen by ALPN in the handshake and Reactor Netty adds the
 * HTTP/1.1 codec only then: an HTTP/1.1 caller (the mesh client offers no ALPN) still gets both deadlines.
 */
class RequestDeadlinesHttp2EnabledIntegrationTests {

	private static final Duration REQUEST_HEADER_TIMEOUT = Duration.ofSeconds(2);

	@Test
	void anHttp11CallerSendingItsHeadersByteByByteIsDisconnectedAndAPromptOneIsAnswered() throws Exception {
		try (TestMesh mesh = TestMesh.start().allow("web", "counting");
				ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class)
					.properties("server.port=0", "server.http2.enabled=true", "spring.application.name=counting",
							"connect.agent.url=" + mesh.agentUrl(), "connect.tls.server.idle-timeout=1s",
							"connect.tls.server.request-header-timeout=" + REQUEST_HEADER_TIMEOUT.toMillis() + "ms")
					.run()) {
			int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
			try (RawTlsCaller prompt = RawTlsCaller.connect(TestAgents.identity(mesh.agent(), "web"), port)) {
				prompt.send("GET /hello HTTP/1.1\r\nHost: mesh\r\n\r\n");
				assertThat(prompt.readResponse().status()).isEqualTo(200);
			}
			try (RawTlsCaller slow = RawTlsCaller.connect(TestAgents.identity(mesh.agent(), "web"), port)) {
				slow.trickle("GET /hello HTTP/1.1\r\nHost: mesh\r\nX-Padding: " + "x".repeat(200) + "\r\n\r\n",
						Duration.ofMillis(200));
				RawTlsCaller.Closed closed = slow.awaitClose(REQUEST_HEADER_TIMEOUT.plusSeconds(5));
				assertThat(closed).as("closed by the server").isNotNull();
				assertThat(closed.afterFirstTrickledByte()).as("from the first byte")
					.isBetween(REQUEST_HEADER_TIMEOUT, REQUEST_HEADER_TIMEOUT.plusSeconds(5));
				assertThat(closed.received()).as("what the server sent").isEmpty();
			}
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
