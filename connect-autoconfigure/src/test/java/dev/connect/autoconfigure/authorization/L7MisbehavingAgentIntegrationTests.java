package dev.connect.autoconfigure.authorization;

import dev.connect.autoconfigure.FakeAgent;
import dev.connect.autoconfigure.MeshClient;
import dev.connect.autoconfigure.TestAgents;
import dev.connect.autoconfigure.registration.ConnectService;
import dev.connect.test.TestMesh;
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
 * An agent that answers this service's {@code service-intentions} entry with something Consul would never store:
 * the L7 rules fail closed, even for a caller the agent's L4 answer allows.
 */
class L7MisbehavingAgentIntegrationTests {

	@ParameterizedTest(name = "{1}")
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			{"Kind":"service-intentions","Name":"counting","Sources":[{"Name":"dashboard","Permissions":[{"Action":"allow","HTTP":{"PathPrefix":"/","Methods":"GET"}}]}]} | 503 | Methods of the wrong JSON type: no decision
			{"Kind":"service-intentions","Name":"counting","Sources":[{"Name":"dashboard","Permissions":[{"Action":"maybe","HTTP":{"PathPrefix":"/"}}]}]} | 503 | an unknown Action: no decision
			{"Kind":"service-intentions","Name":"counting","JWT":{"Providers":[{"Name":"okta"}]},"Sources":[]} | 503 | a JWT requirement on the entry: no decision
			{"Kind":"service-intentions","Name":"counting","Sources":[{"Name":"dashboard","Permissions":[{"Action":"allow","HTTP":{"PathPrefix":"/"},"JWT":{"Providers":[{"Name":"okta"}]}}]}]} | 403 | a JWT requirement on a permission: the source denies
			{"Kind":"service-intentions","Name":"counting","Sources":[{"Name":"dashboard","Permissions":[{"Action":"allow","HTTP":{"PathPrefix":"/","Range":{}}}]}]} | 403 | an unknown matcher: the source denies
			""")
	void whenTheAgentAnswersAnEntryConsulWouldRefuseTheRulesFailClosed(String entry, int status, String what)
			throws Exception {
		try (TestMesh mesh = TestMesh.start()) {
			mesh.allow("dashboard", "counting");
			try (FakeAgent fake = FakeAgent.answering(mesh.agentUrl(),
					(request) -> request.uri().startsWith("/v1/config/service-intentions/counting"), entry);
					ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class)
						.properties("server.port=0", "spring.application.name=counting",
								"connect.agent.url=" + fake.url())
						.run()) {
				int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
				MeshClient dashboard = TestAgents.caller(mesh.agent(), "dashboard");
				long deadline = System.nanoTime() + 10_000_000_000L;
				int seen = dashboard.get(port, "/count").status();
				while (seen == 200 && System.nanoTime() < deadline) {
					// Until the watches first answer, the agent's L4 answer decides, and it allows dashboard.
					Thread.sleep(50);
					seen = dashboard.get(port, "/count").status();
				}
				assertThat(seen).as(what).isEqualTo(status);
				int handled = app.getBean(App.class).handled.get();
				for (int i = 0; i < 3; i++) {
					assertThat(dashboard.get(port, "/count").status()).as(what).isEqualTo(status);
				}
				assertThat(app.getBean(App.class).handled.get()).as("requests that reached the handler once refused")
					.isEqualTo(handled);
			}
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@ConnectService
	static class App {

		final java.util.concurrent.atomic.AtomicInteger handled = new java.util.concurrent.atomic.AtomicInteger();

		@Bean
		RouterFunction<ServerResponse> routes() {
			return RouterFunctions.route()
				.GET("/count", (request) -> ServerResponse.ok().bodyValue(String.valueOf(this.handled.incrementAndGet())))
				.build();
		}

	}

}
