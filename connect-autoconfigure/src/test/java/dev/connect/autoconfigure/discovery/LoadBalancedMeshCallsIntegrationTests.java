package dev.connect.autoconfigure.discovery;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.autoconfigure.TestAgents;
import dev.connect.autoconfigure.registration.ConnectService;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three real applications against one dev agent: two 'counting' instances and a 'dashboard' that calls
 * {@code http://counting/whoami} through its {@code @LoadBalanced WebClient.Builder}.
 */
class LoadBalancedMeshCallsIntegrationTests {

	@Test
	void callsAreSpreadOverHealthyInstancesOverMutualTlsAndLeaveAnInstanceThatFailsItsCheck() throws Exception {
		try (DevAgent agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0))) {
			TestAgents.intention(agent, "dashboard", "counting", "allow");
			ConfigurableApplicationContext first = counting(agent);
			ConfigurableApplicationContext second = counting(agent);
			try (ConfigurableApplicationContext dashboard = new SpringApplicationBuilder(Dashboard.class)
				.properties("server.port=0", "spring.application.name=dashboard",
						"connect.agent.url=" + agent.httpAddress())
				.run()) {
				WebClient client = dashboard.getBean(WebClient.Builder.class).build();
				Set<String> answered = new HashSet<>();
				for (int i = 0; i < 8; i++) {
					answered.add(call(client));
				}
				assertThat(answered).containsExactlyInAnyOrder(port(first), port(second));
				String remaining = port(second);
				// The first instance starts failing its check: it leaves the healthy set and must stop getting traffic.
				org.springframework.boot.availability.AvailabilityChangeEvent.publish(first,
						org.springframework.boot.availability.ReadinessState.REFUSING_TRAFFIC);
				long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
				Set<String> after = new HashSet<>();
				while (System.nanoTime() < deadline) {
					after.clear();
					for (int i = 0; i < 4; i++) {
						try {
							after.add(call(client));
						}
						catch (RuntimeException ex) {
							// Until the health watch reports the deregistration, a call may still pick the closed one.
							after.add("refused");
						}
					}
					if (after.equals(Set.of(remaining))) {
						break;
					}
					Thread.sleep(100);
				}
				assertThat(after).as("the failing instance stops receiving traffic").containsExactly(remaining);
				for (int i = 0; i < 8; i++) {
					assertThat(call(client)).isEqualTo(remaining);
				}
			}
			finally {
				// Closing one application disposes Reactor Netty's global resources, which apps sharing this JVM
				// use too: close the dashboard (inside the try) first, then the instances.
				second.close();
				first.close();
			}
		}
	}

	@Test
	void withoutAHealthyInstanceTheCallerGets503NamingTheService() throws Exception {
		try (DevAgent agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0));
				ConfigurableApplicationContext dashboard = new SpringApplicationBuilder(Dashboard.class)
					.properties("server.port=0", "spring.application.name=dashboard",
							"connect.agent.url=" + agent.httpAddress())
					.run()) {
			WebClient client = dashboard.getBean(WebClient.Builder.class).build();
			var response = client.get().uri("http://counting/whoami").exchangeToMono((answer) -> answer
				.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map((body) -> answer.statusCode().value() + " " + body))
				.block(Duration.ofSeconds(10));
			assertThat(response).startsWith("503").contains("counting");
		}
	}

	private static String call(WebClient client) {
		return client.get().uri("http://counting/whoami").retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10));
	}

	private static String port(ConfigurableApplicationContext app) {
		return app.getEnvironment().getProperty("local.server.port");
	}

	private static ConfigurableApplicationContext counting(DevAgent agent) {
		return new SpringApplicationBuilder(Counting.class)
			.properties("server.port=0", "spring.application.name=counting", "connect.agent.url=" + agent.httpAddress(),
					"connect.registration.ttl=3s")
			.run();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@ConnectService
	static class Counting {

		@Bean
		RouterFunction<ServerResponse> routes(Environment environment) {
			return RouterFunctions.route()
				.GET("/whoami", (request) -> ServerResponse.ok().bodyValue(environment.getProperty("local.server.port")))
				.build();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Dashboard {

		@Bean
		@LoadBalanced
		WebClient.Builder meshWebClient() {
			return WebClient.builder();
		}

	}

}
