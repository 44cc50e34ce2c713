package dev.connect.autoconfigure.authorization;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.autoconfigure.MeshClient;
import dev.connect.autoconfigure.TestAgents;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The actuator on a separate management port is not behind the mesh filter; on the mesh port it is. The first case
 * runs on both web stacks (WebFlux on Reactor Netty, Spring MVC on Tomcat).
 */
class ManagementPortIntegrationTests {

	@org.junit.jupiter.params.ParameterizedTest(name = "{0}")
	@org.junit.jupiter.params.provider.ValueSource(strings = { "reactive", "servlet" })
	void actuatorOnItsOwnPortAnswersPlainHttpWhileTheMeshPortStillAuthorizes(String stack) throws Exception {
		try (DevAgent agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0));
				ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class)
					.properties("server.port=0", "management.server.port=0", "spring.application.name=counting",
							"connect.agent.url=" + agent.httpAddress(),
							"management.endpoints.web.exposure.include=health,connect",
							"management.endpoint.health.show-details=always")
					.run("--spring.main.web-application-type=" + stack)) {
			int managementPort = Integer.parseInt(app.getEnvironment().getProperty("local.management.port"));
			HttpResponse<String> health = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/health"))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(health.statusCode()).isEqualTo(200);
			assertThat(health.body()).contains("\"status\":\"UP\"");
			HttpResponse<String> connectHealth = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/connect"))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(connectHealth.body()).contains("\"status\":\"UP\"").contains("\"agentReachable\":true")
				.contains("\"lastRefresh\"");
			HttpResponse<String> connect = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/connect"))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(connect.body()).contains("\"identity\":\"spiffe://" + agent.trustDomain() + "/ns/default/dc/dc1/svc/counting\"");
			int meshPort = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
			MeshClient.Response denied = TestAgents.caller(agent, "web").get(meshPort, "/actuator/health");
			assertThat(denied.status()).as("no intention allows web on the mesh port").isEqualTo(403);
		}
	}

	@Test
	void ifSomethingSwitchesTheMeshServersTlsOffPlainRequestsThereAreRefused() throws Exception {
		try (DevAgent agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0));
				ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class, TlsOff.class)
					.properties("server.port=0", "spring.application.name=counting",
							"connect.agent.url=" + agent.httpAddress())
					.run()) {
			int meshPort = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
			HttpResponse<String> plain = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + meshPort + "/actuator/health")).build(),
						HttpResponse.BodyHandlers.ofString());
			assertThat(plain.statusCode()).as("fail closed").isEqualTo(403);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

	/** A later customizer that takes the mesh server's TLS away. */
	@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
	static class TlsOff {

		@org.springframework.context.annotation.Bean
		org.springframework.boot.web.server.WebServerFactoryCustomizer<org.springframework.boot.web.server.reactive.ConfigurableReactiveWebServerFactory> tlsOff() {
			return new TlsOffCustomizer();
		}

	}

	static final class TlsOffCustomizer implements
			org.springframework.boot.web.server.WebServerFactoryCustomizer<org.springframework.boot.web.server.reactive.ConfigurableReactiveWebServerFactory>,
			org.springframework.core.Ordered {

		@Override
		public void customize(org.springframework.boot.web.server.reactive.ConfigurableReactiveWebServerFactory factory) {
			factory.setSsl(null);
		}

		@Override
		public int getOrder() {
			return 1000;
		}

	}

}
