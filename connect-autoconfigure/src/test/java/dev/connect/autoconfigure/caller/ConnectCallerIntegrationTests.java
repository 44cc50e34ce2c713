package dev.connect.autoconfigure.caller;

import java.util.Optional;

import dev.connect.identity.ServiceIdentity;
import dev.connect.test.MeshTestClient;
import dev.connect.test.TestMesh;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real WebFlux application ('counting') whose handlers ask for their caller, called over real mutual TLS by
 * identities the dev agent issued.
 */
class ConnectCallerIntegrationTests {

	private TestMesh mesh;

	private ConfigurableApplicationContext app;

	@BeforeEach
	void start() {
		this.mesh = TestMesh.start();
	}

	@AfterEach
	void stop() {
		if (this.app != null) {
			this.app.close();
		}
		this.mesh.close();
	}

	private int run(String... properties) {
		this.app = new SpringApplicationBuilder(App.class)
			.properties("server.port=0", "spring.application.name=counting", "connect.agent.url=" + this.mesh.agentUrl())
			.properties(properties)
			.run();
		return Integer.parseInt(this.app.getEnvironment().getProperty("local.server.port"));
	}

	@Test
	void anAllowedCallersHandlerGetsItsServiceIdentityAsArgumentAndExchangeAttribute() {
		int port = run();
		this.mesh.allow("web", "counting");
		MeshTestClient web = this.mesh.caller("web");
		MeshTestClient.Response response = web.get("counting", port, "/caller");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("web " + web.identity() + " same-as-attribute");
		assertThat(web.get("counting", port, "/optional-caller").body()).isEqualTo("web");
		assertThat(web.get("counting", port, "/nullable-caller").body()).isEqualTo("web");
	}

	@Test
	void withoutAuthorizationThereIsNoCallerAndAHandlerThatNeedsOneIsNeverRun() {
		int port = run("connect.authorization.enabled=false");
		MeshTestClient web = this.mesh.caller("web");
		assertThat(web.get("counting", port, "/caller").status()).isEqualTo(403);
		assertThat(this.app.getBean(Handlers.class).required).isZero();
		assertThat(web.get("counting", port, "/optional-caller").body()).isEqualTo("none");
		assertThat(web.get("counting", port, "/nullable-caller").body()).isEqualTo("none");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Handlers.class)
	static class App {

	}

	@RestController
	static class Handlers {

		volatile int required;

		@GetMapping("/caller")
		String caller(ServiceIdentity caller, ServerWebExchange exchange) {
			this.required++;
			Object attribute = exchange.getAttribute(ConnectCaller.ATTRIBUTE);
			return caller.service() + " " + caller + " " + ((attribute == caller) ? "same-as-attribute" : attribute);
		}

		@GetMapping("/optional-caller")
		String optionalCaller(Optional<ServiceIdentity> caller) {
			return caller.map(ServiceIdentity::service).orElse("none");
		}

		@GetMapping("/nullable-caller")
		String nullableCaller(@Nullable ServiceIdentity caller) {
			return (caller != null) ? caller.service() : "none";
		}

	}

}
