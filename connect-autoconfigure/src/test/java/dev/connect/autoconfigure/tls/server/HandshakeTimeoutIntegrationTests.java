package dev.connect.autoconfigure.tls.server;

import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.autoconfigure.MeshClient;
import dev.connect.autoconfigure.TestAgents;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handshake timeout on both web stacks: Reactor Netty's handler, Tomcat's connection timeout.
 */
class HandshakeTimeoutIntegrationTests {

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "reactive", "servlet" })
	void aClientThatNeverCompletesTheHandshakeIsDisconnectedAfterTheTimeout(String stack) throws Exception {
		try (DevAgent agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0));
				ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class)
					.properties("server.port=0", "spring.application.name=counting",
							"connect.agent.url=" + agent.httpAddress(), "connect.tls.server.handshake-timeout=1s")
					.run("--spring.main.web-application-type=" + stack);
				Socket silent = new Socket(InetAddress.getLoopbackAddress(),
						Integer.parseInt(app.getEnvironment().getProperty("local.server.port")))) {
			silent.setSoTimeout(8000);
			long started = System.nanoTime();
			assertThat(silent.getInputStream().read()).isEqualTo(-1);
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(800),
					Duration.ofSeconds(5));
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "reactive", "servlet" })
	void aConnectionWhoseHandshakeCompletedOutlivesTheTimeout(String stack) throws Exception {
		try (DevAgent agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0));
				ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class)
					.properties("server.port=0", "spring.application.name=counting",
							"connect.agent.url=" + agent.httpAddress(), "connect.tls.server.handshake-timeout=1s",
							"connect.authorization.enabled=false")
					.run("--spring.main.web-application-type=" + stack)) {
			int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
			try (MeshClient.KeptAlive connection = TestAgents.caller(agent, "dashboard").open(port)) {
				assertThat(connection.get("/hello").status()).isEqualTo(200);
				Thread.sleep(2000);
				assertThat(connection.get("/hello").status()).as("the same connection, after the timeout").isEqualTo(200);
				assertThat(connection.requests()).isEqualTo(2);
			}
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@org.springframework.context.annotation.Import(Hello.class)
	static class App {

	}

	@org.springframework.web.bind.annotation.RestController
	static class Hello {

		@org.springframework.web.bind.annotation.GetMapping("/hello")
		String hello() {
			return "hello";
		}

	}

}
