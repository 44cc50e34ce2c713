package dev.connect.autoconfigure.caller;

import java.security.Principal;

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
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The servlet form of {@link ConnectCallerSecurityIntegrationTests}: a Spring MVC application on Tomcat secured with
 * Spring Security's servlet filter chain and method security, whose rules name mesh services; intentions are checked
 * first ('api' has none), Spring Security's rules after them.
 */
class ServletCallerSecurityIntegrationTests {

	private static TestMesh mesh;

	private static ConfigurableApplicationContext app;

	private static int port;

	@BeforeAll
	static void start() {
		mesh = TestMesh.start();
		mesh.allow("dashboard", "counting").allow("web", "counting");
		app = new SpringApplicationBuilder(App.class)
			.properties("server.port=0", "spring.application.name=counting", "connect.agent.url=" + mesh.agentUrl())
			.run("--spring.main.web-application-type=servlet");
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
	void theCallerIsSpringSecuritysAuthenticationAndPrincipal() {
		MeshTestClient.Response response = get("web", "/whoami");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("web [SERVICE_web] web web");
	}

	@Test
	void pathRulesAndPreAuthorizeNameServicesAfterIntentionsAllowedTheCall() {
		assertThat(get("dashboard", "/admin").status()).isEqualTo(200);
		assertThat(get("web", "/admin").status()).as("Spring Security's rule").isEqualTo(403);
		assertThat(get("dashboard", "/report").body()).isEqualTo("report for dashboard");
		assertThat(get("web", "/report").status()).as("@PreAuthorize").isEqualTo(403);
		MeshTestClient.Response api = get("api", "/whoami");
		assertThat(api.status()).as("intentions first").isEqualTo(403);
		assertThat(api.body()).contains("The caller is not allowed to call this service.");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableWebSecurity
	@EnableMethodSecurity
	@Import(Handlers.class)
	static class App {

		@Bean
		SecurityFilterChain security(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.requestMatchers("/admin")
				.hasAuthority("SERVICE_dashboard")
				.anyRequest()
				.authenticated()).csrf((csrf) -> csrf.disable()).build();
		}

	}

	@RestController
	static class Handlers {

		@GetMapping("/whoami")
		String whoami(Principal principal, ServiceIdentity caller) {
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			return authentication.getName() + " " + authentication.getAuthorities() + " " + principal.getName() + " "
					+ caller.service();
		}

		@GetMapping("/admin")
		String admin() {
			return "admin";
		}

		@GetMapping("/report")
		@PreAuthorize("authentication.name == 'dashboard'")
		public String report() {
			return "report for " + SecurityContextHolder.getContext().getAuthentication().getName();
		}

	}

}
