package dev.connect.autoconfigure.authorization;


import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.autoconfigure.AgentUnreachableException;
import dev.connect.autoconfigure.FakeAgent;
import dev.connect.autoconfigure.MeshClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MisbehavingAgentIntegrationTests {

	private DevAgent agent;

	@BeforeEach
	void start() {
		this.agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0));
	}

	@AfterEach
	void stop() {
		this.agent.close();
	}

	@Test
	void whenTheAgentNeverAnswersAuthorizeTheRequestIsRefusedWithinTheTimeout() throws Exception {
		try (FakeAgent fake = FakeAgent.start(this.agent.httpAddress(),
				(request) -> request.uri().startsWith("/v1/agent/connect/authorize"), (request) -> false);
				ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class)
					.properties("server.port=0", "spring.application.name=counting", "connect.agent.url=" + fake.url(),
							"connect.authorization.timeout=1s")
					.run()) {
			int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
			MeshClient web = dev.connect.autoconfigure.TestAgents.caller(this.agent, "web");
			long started = System.nanoTime();
			MeshClient.Response response = web.get(port, "/hello");
			long tookMillis = (System.nanoTime() - started) / 1_000_000;
			assertThat(response.status()).isEqualTo(503);
			assertThat(tookMillis).isBetween(900L, 5000L);
		}
	}

	@Test
	void whenTheAgentAnswersGarbageForTheLeafTheApplicationDoesNotStart() {
		try (FakeAgent fake = FakeAgent.start(this.agent.httpAddress(), (request) -> false,
				(request) -> request.uri().startsWith("/v1/agent/connect/ca/leaf/"))) {
			assertThatThrownBy(() -> new SpringApplicationBuilder(App.class)
				.properties("server.port=0", "spring.application.name=counting", "connect.agent.url=" + fake.url(),
						"connect.agent.startup-timeout=2s")
				.run()).rootCause()
				.isInstanceOf(AgentUnreachableException.class)
				.hasMessageContaining("Connect could not get a certificate for service 'counting' from the agent at "
						+ fake.url())
				.hasMessageContaining("Unable to read the answer of the agent at " + fake.url()
						+ " to GET /v1/agent/connect/ca/leaf/counting");
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "{\"Authorized\":\"true\",\"Reason\":\"proxy\"}", "{\"Authorized\":1,\"Reason\":\"proxy\"}",
			"{\"Authorized\":false,\"Reason\":\"proxy\",\"Authorized\":true}", "{\"Reason\":\"proxy\"}" })
	void whenTheAuthorizeAnswerIsNotExactlyADecisionThenNoRequestIsServed(String answer) throws Exception {
		try (FakeAgent fake = FakeAgent.answering(this.agent.httpAddress(),
				(request) -> request.uri().startsWith("/v1/agent/connect/authorize"), answer);
				ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class)
					.properties("server.port=0", "spring.application.name=counting", "connect.agent.url=" + fake.url())
					.run()) {
			int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
			MeshClient web = dev.connect.autoconfigure.TestAgents.caller(this.agent, "web");
			assertThat(web.get(port, "/hello").status()).as("no decision: refused, never allowed").isEqualTo(503);
		}
	}

	@Test
	void whenTheAuthorizeAnswerIsAnExactAllowThenTheRequestIsServed() throws Exception {
		try (FakeAgent fake = FakeAgent.answering(this.agent.httpAddress(),
				(request) -> request.uri().startsWith("/v1/agent/connect/authorize"),
				"{\"Authorized\":true,\"Reason\":\"proxy\",\"Added\":1}");
				ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class)
					.properties("server.port=0", "spring.application.name=counting", "connect.agent.url=" + fake.url())
					.run()) {
			int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
			MeshClient web = dev.connect.autoconfigure.TestAgents.caller(this.agent, "web");
			assertThat(web.get(port, "/hello").status()).as("the positive control").isEqualTo(200);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		RouterFunction<ServerResponse> routes() {
			return RouterFunctions.route().GET("/hello", (request) -> ServerResponse.ok().bodyValue("hello")).build();
		}

	}

}
