package dev.connect.autoconfigure.tls.server;

import java.io.IOException;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.autoconfigure.MeshClient;
import dev.connect.autoconfigure.caller.ConnectCaller;
import dev.connect.client.AgentCertificateSource;
import dev.connect.client.AgentClient;
import dev.connect.client.AgentClientSettings;
import dev.connect.identity.ServiceIdentity;
import dev.connect.test.TestMesh;
import jakarta.servlet.http.HttpServletRequest;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real Spring MVC application on Tomcat against a dev agent on a free port, called over real TLS by identities
 * the agent issued: the servlet stack's mesh server (mutual TLS from the bundle 'connect', authorization of every
 * request) with the guarantees the WebFlux suites prove for Reactor Netty.
 */
class ServletMeshServerIntegrationTests {

	private TestMesh mesh;

	private DevAgent agent;

	private ConfigurableApplicationContext app;

	private AgentCertificateSource webIdentity;

	@BeforeEach
	void start() {
		// Leaves re-issued within 1 ms of a root change.
		this.mesh = TestMesh.start(DevAgentSettings.defaults().withHttpPort(0).withRootRotationJitter(Duration.ofMillis(1)));
		this.agent = this.mesh.agent();
		this.app = new SpringApplicationBuilder(App.class)
			.properties("server.port=0", "spring.application.name=counting",
					"connect.agent.url=" + this.agent.httpAddress())
			.run("--spring.main.web-application-type=servlet");
		this.webIdentity = identity(this.agent, "web");
	}

	@AfterEach
	void stop() {
		this.webIdentity.dispose();
		this.app.close();
		this.mesh.close();
	}

	private int port() {
		return Integer.parseInt(this.app.getEnvironment().getProperty("local.server.port"));
	}

	private int handled() {
		return this.app.getBean(Handlers.class).handled.get();
	}

	private static AgentCertificateSource identity(DevAgent agent, String service) {
		AgentClient client = AgentClient.create(AgentClientSettings.defaults().withAddress(URI.create(agent.httpAddress())));
		AgentCertificateSource source = AgentCertificateSource.start(client, service, Clock.systemUTC());
		source.ready(Duration.ofSeconds(10)).block();
		return source;
	}

	@Test
	void aConnectServiceOnTomcatIsServedAndRegistered() {
		AgentClient client = AgentClient.create(AgentClientSettings.defaults().withAddress(URI.create(this.agent.httpAddress())));
		var entries = client.healthConnect("counting", false, 0, Duration.ZERO).block(Duration.ofSeconds(5)).value();
		assertThat(entries).singleElement().satisfies((entry) -> {
			assertThat(entry.service().port()).isEqualTo(port());
			assertThat(entry.service().connectNative()).isTrue();
		});
		assertThat(((org.springframework.boot.web.server.context.WebServerApplicationContext) this.app)
			.getWebServer()
			.getClass()
			.getSimpleName()).isEqualTo("TomcatWebServer");
	}

	@Test
	void anAllowedCallerIsServedOverMutualTlsAndItsIdentityReachesTheHandler() throws Exception {
		this.mesh.allow("web", "counting");
		MeshClient client = new MeshClient(this.webIdentity);
		MeshClient.Response response = client.get(port(), "/caller");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("web web");
		assertThat(client.lastServer().toString()).endsWith("/svc/counting");
	}

	@Test
	void withoutAnIntentionTheDefaultDenyGives403ProblemAndTheHandlerNeverRuns() throws Exception {
		MeshClient.Response response = new MeshClient(this.webIdentity).get(port(), "/caller");
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.body()).isEqualTo("{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,"
				+ "\"detail\":\"The caller is not allowed to call this service.\"}");
		assertThat(handled()).isZero();
	}

	@Test
	void aCallerWithoutACertificateIsRefusedAtTheHandshake() {
		assertThatThrownBy(() -> new ConnectServerTlsIntegrationTests.NoCertificateClient(this.webIdentity).get(port()))
			.isInstanceOf(IOException.class);
		assertThat(handled()).isZero();
	}

	@Test
	void aCallerFromAnotherCaIsRefusedAtTheHandshake() throws Exception {
		this.mesh.allow("web", "counting");
		try (DevAgent other = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0))) {
			AgentCertificateSource stranger = identity(other, "web");
			try {
				MeshClient client = new MeshClient(stranger);
				assertThatThrownBy(() -> client.get(port(), "/caller")).isInstanceOf(IOException.class);
			}
			finally {
				stranger.dispose();
			}
		}
		assertThat(handled()).isZero();
	}

	@Test
	void anIntentionFlipReachesAKeptAliveConnectionWithinASecond() throws Exception {
		this.mesh.allow("web", "counting");
		try (MeshClient.KeptAlive connection = new MeshClient(this.webIdentity).open(port())) {
			assertThat(connection.get("/caller").status()).isEqualTo(200);
			this.mesh.deny("web", "counting");
			long flipped = System.nanoTime();
			int status = 200;
			while (status == 200 && System.nanoTime() - flipped < Duration.ofSeconds(5).toNanos()) {
				Thread.sleep(20);
				status = connection.get("/caller").status();
			}
			long tookMillis = (System.nanoTime() - flipped) / 1_000_000;
			assertThat(status).isEqualTo(403);
			assertThat(tookMillis).as("deny reached the open connection").isLessThan(1500);
		}
	}

	@Test
	void leafAndRootRotatedWhileRequestsRunContinuouslyFailNoRequest() throws Exception {
		this.mesh.allow("web", "counting");
		AtomicInteger ok = new AtomicInteger();
		List<String> failures = new CopyOnWriteArrayList<>();
		AtomicBoolean running = new AtomicBoolean(true);
		X509Certificate[] firstLeaf = new X509Certificate[1];
		Thread load = new Thread(() -> {
			while (running.get()) {
				try {
					MeshClient.Response response = new MeshClient(this.webIdentity).get(port(), "/caller");
					if (response.status() == 200) {
						ok.incrementAndGet();
						if (firstLeaf[0] == null) {
							firstLeaf[0] = response.serverLeaf();
						}
					}
					else {
						failures.add("status " + response.status());
					}
				}
				catch (Exception ex) {
					failures.add(ex.toString());
				}
			}
		}, "mesh-load");
		load.start();
		try {
			awaitAtLeast(ok, 5);
			var put = java.net.http.HttpClient.newHttpClient()
				.send(java.net.http.HttpRequest.newBuilder(URI.create(this.agent.httpAddress() + "/v1/connect/ca/configuration"))
					.PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
							"{\"Provider\":\"consul\",\"Config\":{\"PrivateKeyType\":\"ec\",\"PrivateKeyBits\":384}}"))
					.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
			assertThat(put.statusCode()).isEqualTo(200);
			long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
			X509Certificate now = firstLeaf[0];
			while ((now == null || now.equals(firstLeaf[0])) && System.nanoTime() < deadline) {
				Thread.sleep(200);
				now = new MeshClient(this.webIdentity).get(port(), "/caller").serverLeaf();
			}
			assertThat(now).as("Tomcat moved to the re-issued leaf without a restart").isNotEqualTo(firstLeaf[0]);
			assertThat(now.getIssuerX500Principal()).isNotEqualTo(firstLeaf[0].getIssuerX500Principal());
			awaitAtLeast(ok, ok.get() + 5);
			assertThat(failures).as("failed requests during rotation").isEmpty();
		}
		finally {
			running.set(false);
			load.join(10_000);
		}
		assertThat(failures).as("failed requests during rotation").isEmpty();
	}

	/** Waits (15 s at most) until the load has made that many successful requests, and says so if it has not. */
	private static void awaitAtLeast(AtomicInteger ok, int count) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		while (ok.get() < count && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		assertThat(ok.get()).as("successful requests under continuous load").isGreaterThanOrEqualTo(count);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@dev.connect.autoconfigure.registration.ConnectService
	@Import(Handlers.class)
	static class App {

	}

	@RestController
	static class Handlers {

		final AtomicInteger handled = new AtomicInteger();

		@GetMapping("/caller")
		String caller(ServiceIdentity caller, HttpServletRequest request) {
			this.handled.incrementAndGet();
			return caller.service() + " " + ((ServiceIdentity) request.getAttribute(ConnectCaller.ATTRIBUTE)).service();
		}

	}

}
