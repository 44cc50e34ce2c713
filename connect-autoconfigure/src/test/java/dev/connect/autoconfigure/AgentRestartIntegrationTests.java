package dev.connect.autoconfigure;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

import dev.connect.agent.DevAgentSettings;
import dev.connect.autoconfigure.registration.ConnectService;
import dev.connect.test.TestMesh;
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
 * A dev agent killed and started again in memory on the same port has a new CA and a new trust domain: a running
 * application adopts them by itself within seconds, serving callers of the new CA and refusing the old one's.
 */
@ExtendWith(OutputCaptureExtension.class)
class AgentRestartIntegrationTests {

	private static final Duration WITHIN = Duration.ofSeconds(30);

	@Test
	void aRunningAppAdoptsTheRestartedAgentsCaAndRefusesTheOldOne(CapturedOutput output) throws Exception {
		TestMesh first = TestMesh.start();
		int agentPort = URI.create(first.agentUrl()).getPort();
		String oldTrustDomain = first.trustDomain();
		first.allow("web", "counting");
		MeshClient oldCaller = TestAgents.caller(first.agent(), "web");
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class)
			.properties("server.port=0", "spring.application.name=counting", "connect.agent.url=" + first.agentUrl())
			.run()) {
			int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
			assertThat(oldCaller.get(port, "/hello").status()).isEqualTo(200);
			first.close();
			try (TestMesh second = TestMesh.start(DevAgentSettings.defaults().withHttpPort(agentPort))) {
				second.allow("web", "counting");
				assertThat(second.trustDomain()).isNotEqualTo(oldTrustDomain);
				MeshClient newCaller = TestAgents.caller(second.agent(), "web");
				long deadline = System.nanoTime() + WITHIN.toNanos();
				int status = 0;
				while (status != 200 && System.nanoTime() < deadline) {
					status = statusOrZero(newCaller, port);
					if (status != 200) {
						Thread.sleep(250);
					}
				}
				assertThat(status).as("a caller of the new CA, within %s", WITHIN).isEqualTo(200);
				assertThat(newCaller.lastServer().toString()).startsWith("spiffe://" + second.trustDomain() + "/");
				assertThat(statusOrZero(oldCaller, port)).as("a caller of the old CA").isNotEqualTo(200);
				assertThat(output.getOut()).contains("The agent's trust domain changed from '" + oldTrustDomain
						+ "' to '" + second.trustDomain() + "'");
			}
		}
	}

	/** The status of a call, or 0 when the handshake was refused. */
	private static int statusOrZero(MeshClient caller, int port) {
		try {
			return caller.get(port, "/hello").status();
		}
		catch (IOException refused) {
			return 0;
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@ConnectService
	static class App {

		@Bean
		RouterFunction<ServerResponse> hello() {
			return RouterFunctions.route().GET("/hello", (request) -> ServerResponse.ok().bodyValue("hello")).build();
		}

	}

}
