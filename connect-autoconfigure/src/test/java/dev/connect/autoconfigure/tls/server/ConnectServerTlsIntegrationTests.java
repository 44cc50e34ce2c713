package dev.connect.autoconfigure.tls.server;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.client.AgentCertificateSource;
import dev.connect.client.AgentClient;
import dev.connect.client.AgentClientSettings;
import dev.connect.test.TestMesh;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real WebFlux application against a dev agent on a free port, called over real TLS.
 */
class ConnectServerTlsIntegrationTests {

	private TestMesh mesh;

	private DevAgent agent;

	private ConfigurableApplicationContext app;

	private AgentCertificateSource webIdentity;

	@BeforeEach
	void start() {
		// Leaves re-issued within 1 ms of a root change.
		this.mesh = TestMesh.start(DevAgentSettings.defaults().withHttpPort(0).withRootRotationJitter(Duration.ofMillis(1)));
		this.agent = this.mesh.agent();
		this.app = new SpringApplicationBuilder(App.class).properties("server.port=0",
				"spring.application.name=counting", "connect.agent.url=" + this.agent.httpAddress())
			.run();
		this.webIdentity = identity(this.agent, "web");
		this.mesh.allow("web", "counting");
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

	private static AgentCertificateSource identity(DevAgent agent, String service) {
		AgentClient client = AgentClient.create(AgentClientSettings.defaults().withAddress(URI.create(agent.httpAddress())));
		AgentCertificateSource source = AgentCertificateSource.start(client, service, Clock.systemUTC());
		source.ready(Duration.ofSeconds(10)).block();
		return source;
	}

	@Test
	void meshCallerIsServedOverMutualTlsAndSeesTheServiceIdentity() throws Exception {
		dev.connect.autoconfigure.MeshClient client = new dev.connect.autoconfigure.MeshClient(this.webIdentity);
		var response = client.get(port(), "/hello");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("hello");
		assertThat(client.lastServer())
			.hasToString("spiffe://" + this.agent.trustDomain() + "/ns/default/dc/dc1/svc/counting");
	}

	@Test
	void theseHandshakesRunOnBoringSslAsTheStarterShipsIt() {
		assertThat(io.netty.handler.ssl.OpenSsl.isAvailable()).as("netty-tcnative loaded").isTrue();
		assertThat(io.netty.handler.ssl.OpenSsl.versionString()).contains("BoringSSL");
		assertThat(io.netty.handler.ssl.OpenSsl.supportsKeyManagerFactory()).isTrue();
	}

	@Test
	void callerWithoutACertificateIsRefusedAtTheHandshake() throws Exception {
		assertThatThrownBy(() -> new NoCertificateClient(this.webIdentity).get(port())).isInstanceOf(IOException.class);
	}

	@Test
	void callerFromAnotherCaIsRefusedAtTheHandshake() throws Exception {
		try (DevAgent other = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0))) {
			AgentCertificateSource stranger = identity(other, "web");
			try {
				dev.connect.autoconfigure.MeshClient client = new dev.connect.autoconfigure.MeshClient(stranger);
				assertThatThrownBy(() -> client.get(port(), "/hello")).isInstanceOf(IOException.class);
			}
			finally {
				stranger.dispose();
			}
		}
	}

	@Test
	void afterARootRotationNewHandshakesGetTheReissuedLeafWithoutARestart() throws Exception {
		dev.connect.autoconfigure.MeshClient client = new dev.connect.autoconfigure.MeshClient(this.webIdentity);
		var before = client.get(port(), "/hello");
		var put = java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest.newBuilder(URI.create(this.agent.httpAddress() + "/v1/connect/ca/configuration"))
				.PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
						"{\"Provider\":\"consul\",\"Config\":{\"PrivateKeyType\":\"ec\",\"PrivateKeyBits\":384}}"))
				.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
		assertThat(put.statusCode()).isEqualTo(200);
		long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		var after = new dev.connect.autoconfigure.MeshClient(this.webIdentity).get(port(), "/hello");
		while (after.serverLeaf().equals(before.serverLeaf()) && System.nanoTime() < deadline) {
			Thread.sleep(200);
			after = new dev.connect.autoconfigure.MeshClient(this.webIdentity).get(port(), "/hello");
		}
		assertThat(after.status()).isEqualTo(200);
		assertThat(after.serverLeaf()).isNotEqualTo(before.serverLeaf());
		assertThat(after.serverLeaf().getIssuerX500Principal()).isNotEqualTo(before.serverLeaf().getIssuerX500Principal());
		io.micrometer.core.instrument.MeterRegistry meters = this.app.getBean(io.micrometer.core.instrument.MeterRegistry.class);
		assertThat(meters.get("connect.roots.rotations").counter().count()).isGreaterThanOrEqualTo(1);
		assertThat(meters.get("connect.leaf.rotations").counter().count()).isGreaterThanOrEqualTo(1);
	}

	@Test
	void leafAndRootRotatedWhileRequestsRunContinuouslyFailNoRequest() throws Exception {
		java.util.concurrent.atomic.AtomicInteger ok = new java.util.concurrent.atomic.AtomicInteger();
		java.util.List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
		java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
		X509Certificate[] firstLeaf = new X509Certificate[1];
		Thread load = new Thread(() -> {
			while (running.get()) {
				try {
					var response = new dev.connect.autoconfigure.MeshClient(this.webIdentity).get(port(), "/hello");
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
				now = new dev.connect.autoconfigure.MeshClient(this.webIdentity).get(port(), "/hello").serverLeaf();
			}
			assertThat(now).as("the server moved to the re-issued leaf").isNotEqualTo(firstLeaf[0]);
			awaitAtLeast(ok, ok.get() + 5);
		}
		finally {
			running.set(false);
			load.join(10_000);
		}
		assertThat(failures).as("failed requests during rotation").isEmpty();
	}

	/** Waits (15 s at most) until the load has made that many successful requests, and says so if it has not. */
	private static void awaitAtLeast(java.util.concurrent.atomic.AtomicInteger ok, int count)
			throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		while (ok.get() < count && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		assertThat(ok.get()).as("successful requests under continuous load").isGreaterThanOrEqualTo(count);
	}

	@Test
	void requestsQueuedBehindASlowOneOnAKeptAliveConnectionAreAllAnswered() throws Exception {
		javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
		context.init(new javax.net.ssl.KeyManager[] { new dev.connect.tls.SnapshotKeyManager(this.webIdentity) },
				new javax.net.ssl.TrustManager[] { new dev.connect.tls.IdentityTrustManager(this.webIdentity,
						dev.connect.tls.IdentityTrustManager.PeerVerifier.none()) },
				null);
		for (int attempt = 0; attempt < 10; attempt++) {
			try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) context.getSocketFactory()
				.createSocket(java.net.InetAddress.getLoopbackAddress(), port())) {
				socket.setSoTimeout(3_000);
				var out = socket.getOutputStream();
				out.write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
				out.flush();
				StringBuilder seen = new StringBuilder();
				awaitAnswers(socket, seen, 2);
				out.write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
				out.flush();
				awaitAnswers(socket, seen, 4);
				assertThat(seen.toString().split("HTTP/1.1 200", -1)).as("answers on attempt " + attempt).hasSize(5);
			}
		}
	}

	private static void awaitAnswers(javax.net.ssl.SSLSocket socket, StringBuilder seen, int expected) {
		byte[] buffer = new byte[4096];
		try {
			while (seen.toString().split("HTTP/1.1 200", -1).length - 1 < expected) {
				int read = socket.getInputStream().read(buffer);
				if (read < 0) {
					return;
				}
				seen.append(new String(buffer, 0, read, java.nio.charset.StandardCharsets.US_ASCII));
			}
		}
		catch (IOException ex) {
			// A read timed out: the server stopped answering; the assertion reports it.
		}
	}

	/** A TLS client that trusts the mesh but presents no certificate. */
	static final class NoCertificateClient {

		private final javax.net.ssl.SSLContext context;

		NoCertificateClient(dev.connect.tls.CertificateSource trust) throws Exception {
			this.context = javax.net.ssl.SSLContext.getInstance("TLS");
			this.context.init(new javax.net.ssl.KeyManager[0], new javax.net.ssl.TrustManager[] {
					new dev.connect.tls.IdentityTrustManager(trust, dev.connect.tls.IdentityTrustManager.PeerVerifier.none()) },
					null);
		}

		void get(int port) throws IOException {
			try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) this.context.getSocketFactory()
				.createSocket(java.net.InetAddress.getLoopbackAddress(), port)) {
				socket.setSoTimeout(10_000);
				socket.startHandshake();
				socket.getOutputStream().write("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes());
				socket.getOutputStream().flush();
				if (socket.getInputStream().read() == -1) {
					throw new IOException("connection closed without an answer");
				}
			}
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		io.micrometer.core.instrument.simple.SimpleMeterRegistry meterRegistry() {
			return new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
		}

		@Bean
		RouterFunction<ServerResponse> routes() {
			return RouterFunctions.route()
				.GET("/hello", (request) -> ServerResponse.ok().bodyValue("hello"))
				.GET("/slow", (request) -> ServerResponse.ok()
					.body(reactor.core.publisher.Mono.delay(Duration.ofMillis(50)).thenReturn("slow"), String.class))
				.build();
		}

	}

}
