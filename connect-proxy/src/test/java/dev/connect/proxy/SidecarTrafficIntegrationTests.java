package dev.connect.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

import com.sun.net.httpserver.HttpServer;
import dev.connect.agent.DevAgentSettings;
import dev.connect.client.AgentCertificateSource;
import dev.connect.tls.IdentityTrustManager;
import dev.connect.tls.SnapshotKeyManager;
import dev.connect.pki.Pem;
import dev.connect.test.TestMesh;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Traffic through two sidecars on the real dev agent ({@code web}'s upstream listener → mTLS → {@code echo}'s public
 * listener → the app): a bulk stream, HTTP on kept-alive connections, an instance that stops, and the CA's root
 * rotated under continuous traffic.
 */
class SidecarTrafficIntegrationTests {

	/** Leaves re-issued within 2 s of a root change (30 s by default), so that the rotation test sees both. */
	private final TestMesh mesh = TestMesh.start(
			DevAgentSettings.defaults().withHttpPort(0).withRootRotationJitter(Duration.ofSeconds(2)));

	private final InetSocketAddress upstream = new InetSocketAddress("127.0.0.1", ProxyMesh.freePort());

	@AfterEach
	void stop() {
		this.mesh.close();
	}

	@Test
	void twoHundredFiftySixMegabytesArriveIntact() throws Exception {
		try (DigestApp app = new DigestApp(); SidecarProxy echoSide = sidecar("echo", "echo", app.port());
				SidecarProxy webSide = web()) {
			MessageDigest sent = MessageDigest.getInstance("SHA-256");
			byte[] chunk = new byte[64 * 1024];
			new Random(17).nextBytes(chunk);
			long total = 256L * 1024 * 1024;
			ProxyObservabilityIntegrationTests.routed(this.upstream, "x");
			try (Socket socket = ProxyMesh.connect(this.upstream)) {
				socket.setSoTimeout(60_000);
				OutputStream out = socket.getOutputStream();
				for (long written = 0; written < total; written += chunk.length) {
					out.write(chunk);
					sent.update(chunk);
				}
				socket.shutdownOutput();
				String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
				assertThat(answer).isEqualTo(total + " " + HexFormat.of().formatHex(sent.digest()));
			}
			assertThat(echoSide.publicAddress()).isNotNull();
			assertThat(webSide.upstreamAddresses()).containsKey("echo");
		}
	}

	@Test
	void httpRequestsOnAKeptAliveConnectionAllArrive() throws Exception {
		HttpServer app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
		Set<InetSocketAddress> connections = ConcurrentHashMap.newKeySet();
		app.createContext("/", (exchange) -> {
			connections.add(exchange.getRemoteAddress());
			byte[] body = ("path " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		app.start();
		try (SidecarProxy echoSide = sidecar("echo", "echo", app.getAddress().getPort()); SidecarProxy webSide = web()) {
			HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
			SidecarProxyIntegrationTests.eventually(() -> get(client, "/warm"));
			connections.clear();
			for (int i = 0; i < 50; i++) {
				HttpResponse<String> response = get(client, "/call/" + i);
				assertThat(response.statusCode()).isEqualTo(200);
				assertThat(response.body()).isEqualTo("path /call/" + i);
			}
			// One connection from the echo sidecar carried them all: the proxies keep the client's connection.
			assertThat(connections).hasSize(1);
			assertThat(echoSide.publicAddress()).isNotNull();
			assertThat(webSide.upstreamAddresses()).containsKey("echo");
		}
		finally {
			app.stop(0);
		}
	}

	@Test
	void withBoringSslBothSidecarsCarryHttp() throws Exception {
		HttpServer app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
		app.createContext("/", (exchange) -> {
			byte[] body = "boring".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		app.start();
		ProxyMesh.registerWithSidecar(this.mesh, "echo", app.getAddress().getPort(), ProxyMesh.freePort(), "");
		this.mesh.allow("web", "echo");
		ProxyMesh.registerWithSidecar(this.mesh, "web", 1, ProxyMesh.freePort(),
				"{\"DestinationName\":\"echo\",\"LocalBindPort\":" + this.upstream.getPort() + "}");
		try (SidecarProxy echoSide = boring("echo-sidecar-proxy"); SidecarProxy webSide = boring("web-sidecar-proxy")) {
			assertThat(echoSide.tlsProvider()).isEqualTo("BoringSSL");
			assertThat(webSide.tlsProvider()).isEqualTo("BoringSSL");
			HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
			HttpResponse<String> response = SidecarProxyIntegrationTests.eventually(() -> {
				HttpResponse<String> answer = get(client, "/boring");
				assertThat(answer.statusCode()).isEqualTo(200);
				return answer;
			});
			assertThat(response.body()).isEqualTo("boring");
		}
		finally {
			app.stop(0);
		}
	}

	private SidecarProxy boring(String proxyId) {
		return ProxyMain.start(ProxyFlags.parse(java.util.List.of("-proxy-id", proxyId, "-tls-provider", "boringssl"),
				java.util.Map.of("CONSUL_HTTP_ADDR", this.mesh.agentUrl())));
	}

	@Test
	void whenOneInstanceStopsThenEveryCallGoesToTheOther() throws Exception {
		try (ProxyMesh.EchoApp first = new ProxyMesh.EchoApp(); ProxyMesh.EchoApp second = new ProxyMesh.EchoApp();
				SidecarProxy secondSide = sidecar("echo", "echo-2", second.port()); SidecarProxy webSide = web()) {
			SidecarProxy firstSide = sidecar("echo", "echo-1", first.port());
			// Until round-robin has reached both instances.
			SidecarProxyIntegrationTests.eventually(() -> {
				assertThat(ProxyObservabilityIntegrationTests.exchange(this.upstream, "x")).isEqualTo("xbye");
				assertThat(first.accepted()).isPositive();
				assertThat(second.accepted()).isPositive();
				return true;
			});
			firstSide.close();
			int before = second.accepted();
			for (int i = 0; i < 20; i++) {
				assertThat(ProxyObservabilityIntegrationTests.exchange(this.upstream, "call" + i))
					.isEqualTo("call" + i + "bye");
			}
			assertThat(second.accepted() - before).isEqualTo(20);
			assertThat(webSide.upstreamAddresses()).containsKey("echo");
			assertThat(secondSide.publicAddress()).isNotNull();
		}
	}

	@Test
	void whenTheRootIsRotatedUnderTrafficThenNoConnectionFails() throws Exception {
		try (ProxyMesh.EchoApp echo = new ProxyMesh.EchoApp(); SidecarProxy echoSide = sidecar("echo", "echo", echo.port());
				SidecarProxy webSide = web()) {
			ProxyObservabilityIntegrationTests.routed(this.upstream, "w");
			AtomicBoolean running = new AtomicBoolean(true);
			AtomicInteger calls = new AtomicInteger();
			AtomicInteger failures = new AtomicInteger();
			Thread traffic = new Thread(() -> {
				while (running.get()) {
					try {
						String reply = ProxyObservabilityIntegrationTests.exchange(this.upstream, "r" + calls.get());
						if (!reply.equals("r" + calls.get() + "bye")) {
							failures.incrementAndGet();
						}
					}
					catch (IOException ex) {
						failures.incrementAndGet();
					}
					calls.incrementAndGet();
				}
			}, "rotation-traffic");
			traffic.start();
			int before = awaitCalls(calls, 20);
			String oldRoots = roots();
			AgentCertificateSource web = AgentCertificateSource.start(ProxyMesh.client(this.mesh), "web",
					Clock.systemUTC());
			try {
				web.ready(Duration.ofSeconds(10)).block();
				X509Certificate oldLeaf = presented(web, echoSide.publicAddress());
				rotate();
				// Until the echo sidecar presents a leaf reissued under the new root, traffic flowing meanwhile.
				SidecarProxyIntegrationTests.eventually(() -> {
					assertThat(roots()).isNotEqualTo(oldRoots);
					X509Certificate leaf = presented(web, echoSide.publicAddress());
					assertThat(leaf.getSerialNumber()).isNotEqualTo(oldLeaf.getSerialNumber());
					assertThat(leaf.getIssuerX500Principal()).isNotNull();
					return true;
				});
			}
			finally {
				web.dispose();
			}
			awaitCalls(calls, calls.get() + 50);
			running.set(false);
			traffic.join(10_000);
			assertThat(calls.get() - before).isGreaterThan(50);
			assertThat(failures.get()).isZero();
			assertThat(echoSide.ready()).isTrue();
			assertThat(webSide.ready()).isTrue();
		}
	}

	/** The leaf a public listener presents, read from a handshake as {@code web}. */
	private static X509Certificate presented(AgentCertificateSource web, InetSocketAddress address) throws Exception {
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(new KeyManager[] { new SnapshotKeyManager(web) },
				new TrustManager[] { new IdentityTrustManager(web, IdentityTrustManager.PeerVerifier.none()) }, null);
		try (SSLSocket socket = (SSLSocket) context.getSocketFactory()
			.createSocket(address.getAddress(), address.getPort())) {
			socket.setSoTimeout(10_000);
			socket.startHandshake();
			return (X509Certificate) socket.getSession().getPeerCertificates()[0];
		}
	}

	private static int awaitCalls(AtomicInteger calls, int count) throws InterruptedException {
		long deadline = System.nanoTime() + 60_000_000_000L;
		while (calls.get() < count && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		return calls.get();
	}

	private String roots() throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.mesh.agentUrl() + "/v1/agent/connect/ca/roots")).build(),
					HttpResponse.BodyHandlers.ofString())
			.body()
			.replaceAll("\"Index\"\\s*:\\s*\\d+", "");
	}

	/** {@code ca rotate}: a new root key through the CA configuration, as Consul's API takes it. */
	private void rotate() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		var key = generator.generateKeyPair();
		String pem = Pem.encodeSec1(key.getPrivate(), key.getPublic()).replace("\n", "\\n");
		HttpResponse<String> put = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.mesh.agentUrl() + "/v1/connect/ca/configuration"))
				.PUT(HttpRequest.BodyPublishers
					.ofString("{\"Provider\":\"consul\",\"Config\":{\"PrivateKey\":\"" + pem + "\"}}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
	}

	private HttpResponse<String> get(HttpClient client, String path) throws Exception {
		return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.upstream.getPort() + path))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** Registers an instance of a service with a sidecar and starts the sidecar. */
	private SidecarProxy sidecar(String service, String id, int appPort) {
		int port = ProxyMesh.freePort();
		ProxyMesh.register(this.mesh, """
				{"Name":"%s","ID":"%s","Port":%d,"Connect":{"SidecarService":{"Port":%d,"Address":"127.0.0.1",
				 "Checks":[{"Name":"Connect Sidecar Listening","TCP":"127.0.0.1:%d","Interval":"200ms"}]}}}"""
			.formatted(service, id, appPort, port, port));
		return ProxyMesh.start(this.mesh, id + "-sidecar-proxy");
	}

	private SidecarProxy web() {
		this.mesh.allow("web", "echo");
		ProxyMesh.registerWithSidecar(this.mesh, "web", 1, ProxyMesh.freePort(),
				"{\"DestinationName\":\"echo\",\"LocalBindPort\":" + this.upstream.getPort() + "}");
		return ProxyMesh.start(this.mesh, "web-sidecar-proxy");
	}

	/** A TCP app that digests what it reads and, once its input ends, answers with the count and the SHA-256. */
	private static final class DigestApp implements AutoCloseable {

		private final ServerSocket server;

		DigestApp() throws IOException {
			this.server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
			ProxyMesh.daemon(() -> {
				while (!this.server.isClosed()) {
					try {
						Socket socket = this.server.accept();
						ProxyMesh.daemon(() -> digest(socket));
					}
					catch (IOException ex) {
						return;
					}
				}
			});
		}

		int port() {
			return this.server.getLocalPort();
		}

		private static void digest(Socket socket) {
			try (socket; InputStream in = socket.getInputStream()) {
				MessageDigest digest = MessageDigest.getInstance("SHA-256");
				byte[] buffer = new byte[64 * 1024];
				long count = 0;
				for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
					digest.update(buffer, 0, n);
					count += n;
				}
				socket.getOutputStream()
					.write((count + " " + HexFormat.of().formatHex(digest.digest())).getBytes(StandardCharsets.US_ASCII));
			}
			catch (IOException | java.security.NoSuchAlgorithmException ex) {
				// The caller went away.
			}
		}

		@Override
		public void close() throws IOException {
			this.server.close();
		}

	}

}
