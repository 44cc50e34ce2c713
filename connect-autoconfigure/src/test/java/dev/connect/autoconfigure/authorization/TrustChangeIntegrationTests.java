package dev.connect.autoconfigure.authorization;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.connect.autoconfigure.MeshClient;
import dev.connect.autoconfigure.registration.ConnectService;
import dev.connect.identity.ServiceIdentity;
import dev.connect.pki.SvidValidator;
import dev.connect.test.ChangingCertificateSource;
import dev.connect.test.HeldSvid;
import dev.connect.test.SvidAuthority;
import dev.connect.test.TestMesh;
import dev.connect.tls.CertificateSnapshot;
import dev.connect.tls.CertificateSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A root removed while callers' connections stay open, over real TLS: the caller whose chain ends at the removed
 * root is refused on its next request and disconnected; a caller of the root that stays is served as before. The
 * app's material comes from two {@link SvidAuthority} roots in the dev agent's trust domain, changed by hand as an
 * agent's roots answer would change; intentions and authorization come from the dev agent. Run on both web stacks
 * (WebFlux on Reactor Netty, Spring MVC on Tomcat), with the same annotated handler.
 */
class TrustChangeIntegrationTests {

	private static final AtomicLong GENERATIONS = new AtomicLong();

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "reactive", "servlet" })
	void aKeptAliveCallerWhoseRootWasRemovedIsRefusedAndDisconnectedWhileOthersAreServed(String stack)
			throws Exception {
		try (TestMesh mesh = TestMesh.start()) {
			mesh.allow("web", "counting");
			mesh.allow("billing", "counting");
			SvidAuthority kept = SvidAuthority.builder().trustDomain(mesh.trustDomain()).build();
			SvidAuthority removed = SvidAuthority.builder().trustDomain(mesh.trustDomain()).build();
			HeldSvid countingLeaf = kept.leaf("counting").build();
			ChangingCertificateSource counting = new ChangingCertificateSource(
					snapshot(kept, countingLeaf, "counting", kept.root().certificate(), removed.root().certificate()));
			try (ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class)
				.initializers((context) -> context.getBeanFactory().registerSingleton("testCertificateSource", counting))
				.properties("server.port=0", "spring.application.name=counting", "connect.agent.url=" + mesh.agentUrl())
				.run("--spring.main.web-application-type=" + stack)) {
				int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
				MeshClient web = new MeshClient(CertificateSource
					.of(snapshot(removed, removed.leaf("web").build(), "web", kept.root().certificate())));
				MeshClient billing = new MeshClient(CertificateSource
					.of(snapshot(kept, kept.leaf("billing").build(), "billing", kept.root().certificate())));
				try (MeshClient.KeptAlive fromWeb = web.open(port); MeshClient.KeptAlive fromBilling = billing.open(port)) {
					assertThat(fromWeb.get("/hello").status()).as("web while its root is trusted").isEqualTo(200);
					assertThat(fromBilling.get("/hello").status()).as("billing before the change").isEqualTo(200);

					counting.publish(snapshot(kept, countingLeaf, "counting", kept.root().certificate()));

					MeshClient.Response refused = fromWeb.get("/hello");
					assertThat(refused.status()).as("web after its root was removed").isEqualTo(403);
					assertThat(refused.body()).contains("The caller's certificate is no longer trusted by this mesh.");
					assertThatThrownBy(() -> fromWeb.get("/hello")).as("the server closed web's connection")
						.isInstanceOf(IOException.class);
					assertThat(fromBilling.get("/hello").status()).as("billing after the change").isEqualTo(200);
				}
				// web's client offers its TLS session from before the change: the server's new SSL context cannot
				// resume it, so the new handshake checks web's chain and refuses it there.
				assertThatThrownBy(() -> web.get(port, "/hello")).as("no session resumed across the trust change")
					.isInstanceOf(IOException.class);
				assertThat(app.getBean(Hello.class).handled).as("requests the handler served").isEqualTo(3);
			}
		}
	}

	private static CertificateSnapshot snapshot(SvidAuthority ca, HeldSvid leaf, String service,
			X509Certificate... roots) {
		ServiceIdentity identity = ServiceIdentity.of(ca.trustDomain(), "dc1", service);
		List<X509Certificate> trusted = List.of(roots);
		return new CertificateSnapshot(GENERATIONS.incrementAndGet(), identity,
				List.of(leaf.certificate()), leaf.keyPair().getPrivate(), trusted, ca.trustDomain(),
				SvidValidator.of(trusted, Clock.systemUTC()));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@ConnectService
	@org.springframework.context.annotation.Import(Hello.class)
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
