package dev.connect.autoconfigure.authorization;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.connect.agent.DevAgentSettings;
import dev.connect.autoconfigure.MeshClient;
import dev.connect.autoconfigure.TestAgents;
import dev.connect.autoconfigure.registration.ConnectService;
import dev.connect.test.TestMesh;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * L7 intentions enforced by a real application (WebFlux on Reactor Netty, Spring MVC on Tomcat) against the dev
 * agent's config entries: rules on paths, methods and headers; every bypass form of Consul's and Envoy's advisories
 * (CVE-2024-10005, CVE-2024-10006, CVE-2021-36213) refused or denied, with the handler never reached.
 */
class L7IntentionsIntegrationTests {

	private static final String HTTP = "{\"Kind\":\"service-defaults\",\"Name\":\"counting\",\"Protocol\":\"http\"}";

	private static final String RULES = """
			{"Kind":"service-intentions","Name":"counting","Sources":[
			 {"Name":"dashboard","Permissions":[
			  {"Action":"deny","HTTP":{"PathPrefix":"/admin"}},
			  {"Action":"deny","HTTP":{"PathPrefix":"/","Header":[{"Name":"x-debug","Present":true}]}},
			  {"Action":"allow","HTTP":{"PathExact":"/env","Header":[{"Name":"x-env","Exact":"prod"}]}},
			  {"Action":"allow","HTTP":{"PathPrefix":"/count","Methods":["GET"]}}]},
			 {"Name":"web","Action":"allow"}]}""";

	/** Each reads '/admin' to a router that decodes, resolves dot segments, merges slashes or strips parameters. */
	private static final String[] ADMIN_FORMS = { "/admin", "/admin/", "/admin/x", "/%61dmin", "/%61%64%6d%69%6e",
			"/admin%2Fx", "/admin%2fx", "//admin", "/./admin", "/x/../admin", "/count/../admin", "/count/%2e%2e/admin",
			"/count/%2E%2E/admin", "/count%2F..%2Fadmin", "/count/..%2Fadmin", "/%5Cadmin", "/count%5C..%5Cadmin",
			"/admin;jsessionid=1", "/adm;x=1/in", "/count;/../admin", "/count/./../admin" };

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "reactive", "servlet" })
	void underDefaultAllowADenyOnAPathHoldsForEveryEncodingOfIt(String stack) throws Exception {
		try (TestMesh mesh = TestMesh.start(DevAgentSettings.defaults().withHttpPort(0).withDefaultIntentionPolicy("allow"));
				ConfigurableApplicationContext app = start(mesh, stack)) {
			MeshClient dashboard = TestAgents.caller(mesh.agent(), "dashboard");
			awaitRules(dashboard, port(app));
			for (String form : ADMIN_FORMS) {
				MeshClient.Response response = dashboard.get(port(app), form);
				assertThat(response.status()).as(form).isIn(400, 403);
				assertThat(response.body()).as(form).doesNotContain("admin", "PathPrefix");
			}
			assertThat(app.getBean(Routes.class).hits("admin")).as("requests that reached /admin").isZero();
			assertThat(dashboard.get(port(app), "/other").status()).as("a path no rule names").isEqualTo(200);
			assertThat(dashboard.request("GET", port(app), "/other", "X-DEBUG: 1").status()).isEqualTo(403);
			assertThat(dashboard.request("GET", port(app), "/other", "x-Debug: 1").status()).isEqualTo(403);
			assertThat(dashboard.request("GET", port(app), "/other", "X-Other: 1", "x-debug: 1").status())
				.isEqualTo(403);
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "reactive", "servlet" })
	void underDefaultDenyAnAllowOnAPathIsNotWidenedAndHeadersMatchAsEnvoyMatchesThem(String stack) throws Exception {
		try (TestMesh mesh = TestMesh.start(); ConfigurableApplicationContext app = start(mesh, stack)) {
			MeshClient dashboard = TestAgents.caller(mesh.agent(), "dashboard");
			awaitRules(dashboard, port(app));
			assertThat(dashboard.get(port(app), "/count/x").status()).isEqualTo(200);
			assertThat(dashboard.post(port(app), "/count").status()).as("a method the rule does not list")
				.isEqualTo(403);
			for (String form : ADMIN_FORMS) {
				assertThat(dashboard.get(port(app), form).status()).as(form).isIn(400, 403);
			}
			assertThat(dashboard.get(port(app), "/other").status()).as("the default, deny").isEqualTo(403);
			assertThat(dashboard.request("GET", port(app), "/env", "X-ENV: prod").status()).isEqualTo(200);
			assertThat(dashboard.request("GET", port(app), "/env", "x-env: dev", "X-Env: prod").status())
				.as("a repeated header is matched on its joined values").isEqualTo(403);
			assertThat(dashboard.request("GET", port(app), "/env", "x_env: prod").status())
				.as("an underscore is another name").isEqualTo(403);
			assertThat(app.getBean(Routes.class).hits("admin")).isZero();
			assertThat(app.getBean(Routes.class).hits("other")).isZero();
			assertThat(TestAgents.caller(mesh.agent(), "web").get(port(app), "/admin").status())
				.as("an L4 source: the agent decides").isEqualTo(200);
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "reactive", "servlet" })
	void aRuleChangeReachesAKeptAliveConnection(String stack) throws Exception {
		try (TestMesh mesh = TestMesh.start(); ConfigurableApplicationContext app = start(mesh, stack)) {
			MeshClient dashboard = TestAgents.caller(mesh.agent(), "dashboard");
			awaitRules(dashboard, port(app));
			try (MeshClient.KeptAlive connection = dashboard.open(port(app))) {
				assertThat(connection.get("/count").status()).isEqualTo(200);
				mesh.config(RULES.replace("\"Methods\":[\"GET\"]", "\"Methods\":[\"POST\"]"));
				long deadline = System.nanoTime() + 10_000_000_000L;
				int status = 200;
				while (status == 200 && System.nanoTime() < deadline) {
					Thread.sleep(50);
					status = connection.get("/count").status();
				}
				assertThat(status).isEqualTo(403);
			}
		}
	}

	private static ConfigurableApplicationContext start(TestMesh mesh, String stack) {
		mesh.config(HTTP).config(RULES);
		return new SpringApplicationBuilder(App.class)
			.properties("server.port=0", "spring.application.name=counting", "connect.agent.url=" + mesh.agentUrl())
			.run("--spring.main.web-application-type=" + stack);
	}

	private static int port(ConfigurableApplicationContext app) {
		return Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
	}

	/** The rules are read by watches started with the application: wait until they decide. */
	private static void awaitRules(MeshClient caller, int port) throws Exception {
		long deadline = System.nanoTime() + 10_000_000_000L;
		while (caller.get(port, "/count").status() != 200) {
			assertThat(System.nanoTime()).as("the L7 rules were not applied within 10 s").isLessThan(deadline);
			Thread.sleep(50);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@ConnectService
	@Import(Routes.class)
	static class App {

	}

	@RestController
	static class Routes {

		private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

		int hits(String route) {
			return this.hits.getOrDefault(route, new AtomicInteger()).get();
		}

		private String hit(String route) {
			this.hits.computeIfAbsent(route, (key) -> new AtomicInteger()).incrementAndGet();
			return route;
		}

		@GetMapping({ "/admin", "/admin/**" })
		String admin() {
			return hit("admin");
		}

		@GetMapping({ "/count", "/count/**" })
		String count() {
			return hit("count");
		}

		@GetMapping("/env")
		String env() {
			return hit("env");
		}

		@GetMapping("/other")
		String other() {
			return hit("other");
		}

	}

}
