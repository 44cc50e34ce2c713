package dev.connect.autoconfigure.client;

import java.time.Duration;

import dev.connect.test.TestMesh;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real 'dashboard' calling {@code http://counting/...}, of which the agent knows no instance: whichever way the
 * application reads the answer, it names the service.
 */
class UnavailableUpstreamIntegrationTests {

	private static final Duration PROMPTLY = Duration.ofSeconds(10);

	private TestMesh mesh;

	private ConfigurableApplicationContext dashboard;

	@BeforeEach
	void start() {
		this.mesh = TestMesh.start();
		this.dashboard = new SpringApplicationBuilder(Dashboard.class)
			.properties("server.port=0", "spring.application.name=dashboard", "connect.agent.url=" + this.mesh.agentUrl())
			.run();
	}

	@AfterEach
	void stop() {
		this.dashboard.close();
		this.mesh.close();
	}

	@Test
	void withoutAHealthyInstanceTheCallerGets503NamingTheService() {
		WebClient client = this.dashboard.getBean(WebClient.Builder.class).build();
		String response = client.get()
			.uri("http://counting/whoami")
			.exchangeToMono((answer) -> answer.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map((body) -> answer.statusCode().value() + " " + body))
			.block(PROMPTLY);
		assertThat(response).startsWith("503").contains("counting");
	}

	@Test
	void withoutAHealthyInstanceTheErrorOfRetrieveNamesTheCallNotUnknown() {
		WebClient client = this.dashboard.getBean(WebClient.Builder.class).build();
		assertThatThrownBy(() -> client.get().uri("http://counting/whoami").retrieve().bodyToMono(String.class)
			.block(PROMPTLY)).isInstanceOf(WebClientResponseException.ServiceUnavailable.class)
			.hasMessage("503 Service Unavailable from GET http://counting/whoami");
	}

	@Test
	void aNamedUpstreamsErrorNamesItToo() {
		WebClient counting = this.dashboard.getBean(ConnectUpstreams.class).webClient("counting");
		assertThatThrownBy(() -> counting.get().uri("/whoami").retrieve().bodyToMono(String.class).block(PROMPTLY))
			.hasMessage("503 Service Unavailable from GET http://counting/whoami");
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
