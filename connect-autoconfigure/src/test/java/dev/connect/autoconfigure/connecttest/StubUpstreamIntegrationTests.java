package dev.connect.autoconfigure.connecttest;

import dev.connect.autoconfigure.registration.ConnectService;
import dev.connect.test.ConnectDevAgent;
import dev.connect.test.MeshWebTestClient;
import dev.connect.test.StubUpstream;
import dev.connect.test.TestMesh;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * connect-test's test kit around a real WebFlux app with the starter: the app ('dashboard') calls
 * {@code http://counting/count} through its {@code @LoadBalanced WebClient.Builder}, answered by a
 * {@link StubUpstream} registered with the test agent, and the test calls the app with a {@code WebTestClient} bound
 * to a mesh identity ({@link MeshWebTestClient}).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.application.name=dashboard")
@ConnectDevAgent
class StubUpstreamIntegrationTests {

	@Autowired
	TestMesh mesh;

	@LocalServerPort
	int port;

	@Test
	void theAppsLoadBalancedCallIsAnsweredByTheStubWhichAuthorizesItByIntentions() {
		this.mesh.allow("web", "dashboard");
		try (StubUpstream counting = this.mesh.stub("counting").respond("GET", "/count", 200, "{\"count\":42}")) {
			WebTestClient web = MeshWebTestClient.bindToService(this.mesh.caller("web"), "dashboard", this.port).build();
			// No intention lets dashboard call counting yet: the stub refuses it, as counting would.
			web.get().uri("/report").exchange().expectStatus().isOk().expectBody(String.class)
				.value((body) -> assertThat(body).startsWith("counting answered 403 ")
					.contains("The caller is not allowed to call this service."));
			this.mesh.allow("dashboard", "counting");
			web.get().uri("/report").exchange().expectStatus().isOk().expectBody(String.class)
				.isEqualTo("counting answered 200 {\"count\":42}");
			String dashboard = "spiffe://" + this.mesh.trustDomain() + "/ns/default/dc/dc1/svc/dashboard";
			assertThat(counting.requests()).hasSize(2).allSatisfy((request) -> {
				assertThat(request.caller()).isEqualTo(dashboard);
				assertThat(request.method()).isEqualTo("GET");
				assertThat(request.path()).isEqualTo("/count");
			});
			assertThat(counting.requests()).extracting(StubUpstream.ReceivedRequest::status).containsExactly(403, 200);
		}
	}

	@Test
	void theWebTestClientIsAuthorizedByTheAppAndChecksTheAppsIdentity() {
		WebTestClient intruder = MeshWebTestClient.bindToService(this.mesh.caller("intruder"), "dashboard", this.port)
			.build();
		intruder.get().uri("/report").exchange().expectStatus().isForbidden();
		WebTestClient expectingBilling = MeshWebTestClient.bindToService(this.mesh.caller("web"), "billing", this.port)
			.build();
		assertThatThrownBy(() -> expectingBilling.get().uri("/report").exchange())
			.hasStackTraceContaining("Expected '/ns/default/dc/dc1/svc/billing' at 127.0.0.1:" + this.port);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@ConnectService
	static class Dashboard {

		@Bean
		@LoadBalanced
		WebClient.Builder meshWebClient() {
			return WebClient.builder();
		}

		@Bean
		RouterFunction<ServerResponse> report(@LoadBalanced WebClient.Builder mesh) {
			WebClient client = mesh.build();
			return RouterFunctions.route()
				.GET("/report", (request) -> client.get()
					.uri("http://counting/count")
					.exchangeToMono((answer) -> answer.bodyToMono(String.class)
						.defaultIfEmpty("")
						.map((body) -> "counting answered " + answer.statusCode().value() + " " + body))
					.flatMap((text) -> ServerResponse.ok().bodyValue(text)))
				.build();
		}

	}

}
