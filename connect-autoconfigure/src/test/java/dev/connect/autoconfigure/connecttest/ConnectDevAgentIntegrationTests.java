package dev.connect.autoconfigure.connecttest;

import dev.connect.autoconfigure.registration.ConnectService;
import dev.connect.test.ConnectDevAgent;
import dev.connect.test.MeshTestClient;
import dev.connect.test.TestMesh;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * connect-test in a real Spring Boot app with the starter: {@link ConnectDevAgent} points the app at its own dev
 * agent, intentions come from {@link TestMesh}, and {@link MeshTestClient} calls as another service.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.application.name=counting")
@ConnectDevAgent
class ConnectDevAgentIntegrationTests {

	@Autowired
	TestMesh mesh;

	@LocalServerPort
	int port;

	@Test
	void theAppRunsAgainstTheTestAgentAndIntentionsDecide() {
		assertThat(this.mesh.caller("dashboard").get("counting", this.port, "/hello").status()).isEqualTo(403);
		this.mesh.allow("dashboard", "counting");
		MeshTestClient.Response response = this.mesh.caller("dashboard").get("counting", this.port, "/hello");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("hello");
		assertThat(response.server()).isEqualTo("spiffe://" + this.mesh.trustDomain() + "/ns/default/dc/dc1/svc/counting");
	}

	@Test
	void theTestClientRefusesAServerThatIsNotTheExpectedService() {
		assertThatThrownBy(() -> this.mesh.caller("dashboard").get("billing", this.port, "/hello"))
			.hasStackTraceContaining("Expected '/ns/default/dc/dc1/svc/billing'");
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
