package dev.connect.autoconfigure.tls.server;

import dev.connect.autoconfigure.MeshClient;
import dev.connect.autoconfigure.TestAgents;
import dev.connect.test.TestMesh;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code server.ssl.*} set next to the starter has no effect on the mesh port, not even a key store that does not
 * exist: the application says so once, naming the properties, and serves mutual TLS from the bundle 'connect'.
 */
@ExtendWith(OutputCaptureExtension.class)
class IgnoredServerSslIntegrationTests {

	@Test
	void serverSslPropertiesAreNamedOnceAsIgnoredAndTheMeshPortServesTheMeshCertificate(CapturedOutput output)
			throws Exception {
		try (TestMesh mesh = TestMesh.start()) {
			mesh.allow("web", "counting");
			try (ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class)
				.properties("server.port=0", "spring.application.name=counting", "connect.agent.url=" + mesh.agentUrl(),
						"server.ssl.enabled=true", "server.ssl.key-store=classpath:does-not-exist.p12",
						"server.ssl.key-store-password=changeit")
				.run()) {
				int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
				MeshClient web = TestAgents.caller(mesh.agent(), "web");
				MeshClient.Response response = web.get(port, "/hello");
				assertThat(response.status()).isEqualTo(200);
				assertThat(web.lastServer().toString()).endsWith("/svc/counting");
			}
		}
		String warning = String.format(IgnoredServerSsl.WARNING,
				"server.ssl.enabled, server.ssl.key-store, server.ssl.key-store-password");
		assertThat(output.getOut()).contains(warning);
		assertThat(output.getOut().split(java.util.regex.Pattern.quote("Ignoring server.ssl."), -1)).hasSize(2);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		RouterFunction<ServerResponse> hello() {
			return RouterFunctions.route().GET("/hello", (request) -> ServerResponse.ok().bodyValue("hello")).build();
		}

	}

}
