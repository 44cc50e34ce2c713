package dev.connect.autoconfigure.caller;

import java.security.Principal;
import java.util.concurrent.atomic.AtomicInteger;

import dev.connect.autoconfigure.MeshClient;
import dev.connect.autoconfigure.TestAgents;
import dev.connect.identity.ServiceIdentity;
import dev.connect.test.MeshTestClient;
import dev.connect.test.TestMesh;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.annotation.method.configuration.EnableReactiveMethodSecurity;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real WebFlux application ('counting') secured with Spring Security, whose rules name mesh services: method
 * security ({@code @PreAuthorize}) and {@code authorizeExchange()} path rules. Its callers are all allowed by
 * intentions, except 'api'; every refusal by a rule is Spring Security's own 403, after intentions allowed the call.
 * Spring Security is enabled with its own annotations here: Spring Boot's security auto-configuration is kept off
 * this module's test classpath, where it would secure every other test application.
 */
class ConnectCallerSecurityIntegrationTests {

	private static final String INTENTIONS_REFUSAL = "The caller is not allowed to call this service.";

	private static TestMesh mesh;

	private static ConfigurableApplicationContext app;

	private static int port;

	@BeforeAll
	static void start() {
		mesh = TestMesh.start();
		mesh.allow("dashboard", "counting").allow("web", "counting");
		app = new SpringApplicationBuilder(App.class)
			.properties("server.port=0", "spring.application.name=counting", "connect.agent.url=" + mesh.agentUrl())
			.run();
		port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
	}

	@AfterAll
	static void stop() {
		app.close();
		mesh.close();
	}

	private static MeshTestClient.Response get(String caller, String path) {
		return mesh.caller(caller).get("counting", port, path);
	}

	@Test
	void preAuthorizeAllowsTheServiceItNamesAndRefusesAnotherAllowedByIntentions() {
		MeshTestClient.Response dashboard = get("dashboard", "/report");
		assertThat(dashboard.status()).isEqualTo(200);
		assertThat(dashboard.body()).isEqualTo("report for dashboard");
		int reports = app.getBean(Handlers.class).reports();
		MeshTestClient.Response web = get("web", "/report");
		assertThat(web.status()).isEqualTo(403);
		assertThat(web.body()).doesNotContain(INTENTIONS_REFUSAL);
		assertThat(app.getBean(Handlers.class).reports()).as("reports made").isEqualTo(reports);
	}

	@Test
	void pathRulesOfAuthorizeExchangeNameServicesByAuthority() {
		assertThat(get("dashboard", "/admin/stats").status()).isEqualTo(200);
		MeshTestClient.Response web = get("web", "/admin/stats");
		assertThat(web.status()).isEqualTo(403);
		assertThat(web.body()).doesNotContain(INTENTIONS_REFUSAL);
	}

	@Test
	void theExchangesPrincipalIsTheCallerNamedByItsService() {
		assertThat(get("web", "/whoami").body()).isEqualTo("web");
	}

	@Test
	void aPostIsServedWhereCsrfProtectionIsOffAndRefusedWhereItIsOn() throws Exception {
		MeshClient dashboard = TestAgents.caller(mesh.agent(), "dashboard");
		MeshClient.Response served = dashboard.post(port, "/notes");
		assertThat(served.status()).isEqualTo(200);
		assertThat(served.body()).isEqualTo("noted for dashboard");
		// Under /forms the same caller may GET, but its POST carries no CSRF token.
		assertThat(dashboard.get(port, "/forms/notes").status()).isEqualTo(200);
		MeshClient.Response refused = dashboard.post(port, "/forms/notes");
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.body()).doesNotContain(INTENTIONS_REFUSAL);
	}

	@Test
	void intentionsAreCheckedFirstSoNoRuleCanLetInACallerTheyDeny() {
		MeshTestClient.Response api = get("api", "/open");
		assertThat(api.status()).isEqualTo(403);
		assertThat(api.body()).contains(INTENTIONS_REFUSAL);
		assertThat(get("web", "/open").body()).isEqualTo("open");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableWebFluxSecurity
	@EnableReactiveMethodSecurity
	@Import(Handlers.class)
	static class App {

		/** Spring Security's defaults (CSRF protection on) for the paths under /forms. */
		@Bean
		@Order(1)
		SecurityWebFilterChain formsChain(ServerHttpSecurity http) {
			return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/forms/**"))
				.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated())
				.build();
		}

		/** As getting-started shows it. */
		@Bean
		@Order(2)
		SecurityWebFilterChain meshChain(ServerHttpSecurity http) {
			return http
				.authorizeExchange((exchanges) -> exchanges.pathMatchers("/admin/**")
					.hasAuthority("SERVICE_dashboard")
					.pathMatchers("/open")
					.permitAll()
					.anyExchange()
					.authenticated())
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.build();
		}

	}

	@RestController
	static class Handlers {

		private final AtomicInteger reports = new AtomicInteger();

		/** Read through a method: the bean is a method-security proxy, whose own fields are not the handler's. */
		public int reports() {
			return this.reports.get();
		}

		@GetMapping("/report")
		@PreAuthorize("authentication.name == 'dashboard'")
		Mono<String> report(ServiceIdentity caller) {
			this.reports.incrementAndGet();
			return Mono.just("report for " + caller.service());
		}

		@GetMapping("/admin/stats")
		Mono<String> stats() {
			return Mono.just("stats");
		}

		@GetMapping("/whoami")
		Mono<String> whoami(ServerWebExchange exchange) {
			return exchange.getPrincipal().map(Principal::getName);
		}

		@GetMapping("/open")
		Mono<String> open() {
			return Mono.just("open");
		}

		@RequestMapping(path = { "/notes", "/forms/notes" }, method = { RequestMethod.GET, RequestMethod.POST })
		Mono<String> note(ServiceIdentity caller) {
			return Mono.just("noted for " + caller.service());
		}

	}

}
