package dev.connect.autoconfigure.authorization;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

import dev.connect.autoconfigure.MeshClient;
import dev.connect.autoconfigure.TestMaterial;
import dev.connect.autoconfigure.registration.ConnectService;
import dev.connect.test.HeldSvid;
import dev.connect.test.SvidAuthority;
import dev.connect.test.TestMesh;
import dev.connect.tls.CertificateSource;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A caller whose leaf expires while its connection stays open, over real TLS: the handshake was valid, the requests
 * after the leaf's not-after are not. The app and the caller hold leaves from one {@link SvidAuthority} in the dev
 * agent's trust domain (the dev agent does not issue leaves that expire within seconds: Consul's minimum leaf TTL is
 * one hour); intentions and authorization come from the dev agent. Run on both web stacks (WebFlux on Reactor Netty,
 * Spring MVC on Tomcat), with the same annotated handler.
 */
class ExpiredCallerIntegrationTests {

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "reactive", "servlet" })
	void aKeptAliveCallerWhoseLeafExpiredIsRefusedAndDisconnected(String stack) throws Exception {
		try (TestMesh mesh = TestMesh.start()) {
			mesh.allow("web", "counting");
			SvidAuthority ca = SvidAuthority.builder().trustDomain(mesh.trustDomain()).build();
			CertificateSource counting = TestMaterial.source(ca, ca.leaf("counting").build(), "counting");
			try (ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class)
				.initializers((context) -> context.getBeanFactory().registerSingleton("testCertificateSource", counting))
				.properties("server.port=0", "spring.application.name=counting", "connect.agent.url=" + mesh.agentUrl())
				.run("--spring.main.web-application-type=" + stack)) {
				int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
				// Certificates carry whole seconds: the leaf ends at the start of a second at least 3 s from now.
				Instant notAfter = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 4);
				HeldSvid shortLived = ca.leaf("web").validity(Instant.now().minusSeconds(60), notAfter).build();
				MeshClient web = new MeshClient(TestMaterial.source(ca, shortLived, "web"));
				try (MeshClient.KeptAlive connection = web.open(port)) {
					assertThat(connection.get("/hello").status()).as("before the leaf's not-after").isEqualTo(200);
					Thread.sleep(Math.max(0, Duration.between(Instant.now(), notAfter).toMillis() + 1_100));
					MeshClient.Response expired = connection.get("/hello");
					assertThat(expired.status()).as("after the leaf's not-after").isEqualTo(403);
					assertThatThrownBy(() -> connection.get("/hello")).as("the server closed the connection")
						.isInstanceOf(IOException.class);
				}
				MeshClient fresh = new MeshClient(TestMaterial.source(ca, shortLived, "web"));
				assertThatThrownBy(() -> fresh.get(port, "/hello")).as("a full handshake with the expired leaf")
					.isInstanceOf(IOException.class);
				// The first client may resume its TLS session, which checks no certificate: the filter still refuses.
				try {
					assertThat(web.get(port, "/hello").status()).as("a resumed session with the expired leaf").isEqualTo(403);
				}
				catch (IOException refusedAtTheHandshake) {
					// also refused
				}
				assertThat(app.getBean(Hello.class).handled).as("requests the handler served").isEqualTo(1);
			}
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@ConnectService
	@Import(Hello.class)
	static class App {

	}

	@RestController
	static class Hello {

		volatile int handled;

		@GetMapping("/hello")
		String hello() {
			this.handled++;
			return "hello";
		}

	}

}
