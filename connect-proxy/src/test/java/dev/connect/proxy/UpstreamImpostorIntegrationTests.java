package dev.connect.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManager;

import dev.connect.client.AgentCertificateSource;
import dev.connect.test.TestMesh;
import dev.connect.tls.IdentityTrustManager;
import dev.connect.tls.SnapshotKeyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An instance registered as {@code echo} whose server proves another service of the same mesh ({@code billing}, with
 * a valid leaf from the same CA) gets no byte of the caller's data; with a real instance next to it, every connection
 * reaches the real one through the retry.
 */
class UpstreamImpostorIntegrationTests {

	private final TestMesh mesh = TestMesh.start();

	private Impostor impostor;

	private AgentCertificateSource billing;

	private SidecarProxy webSidecar;

	@BeforeEach
	void startImpostor() throws Exception {
		this.billing = AgentCertificateSource.start(ProxyMesh.client(this.mesh), "billing", Clock.systemUTC());
		this.billing.ready(Duration.ofSeconds(10)).block();
		this.impostor = new Impostor(this.billing);
		ProxyMesh.register(this.mesh, """
				{"Name":"echo","ID":"echo-impostor","Port":%d,"Address":"127.0.0.1","Connect":{"Native":true}}"""
			.formatted(this.impostor.port()));
		this.mesh.allow("web", "echo");
	}

	@AfterEach
	void stop() throws IOException {
		if (this.webSidecar != null) {
			this.webSidecar.close();
		}
		this.impostor.close();
		this.billing.dispose();
		this.mesh.close();
	}

	@ParameterizedTest(name = "BoringSSL: {0}")
	@ValueSource(booleans = { false, true })
	void whenTheOnlyInstanceProvesAnotherServiceThenItGetsNoByte(boolean boringSsl) throws Exception {
		InetSocketAddress upstream = startWebSidecar(boringSsl);
		assertThat(this.webSidecar.tlsProvider()).isEqualTo(boringSsl ? "BoringSSL" : "JDK");
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (this.impostor.handshakes() < 3 && System.nanoTime() < deadline) {
			assertThat(exchange(upstream, "secret")).isEmpty();
			Thread.sleep(100);
		}
		assertThat(this.impostor.handshakes()).isGreaterThanOrEqualTo(3);
		assertThat(this.impostor.bytesReceived()).isZero();
	}

	@Test
	void whenOneOfTwoInstancesIsAnImpostorThenTheRetryReachesTheRealOne() throws Exception {
		try (ProxyMesh.EchoApp echo = new ProxyMesh.EchoApp()) {
			ProxyMesh.registerWithSidecar(this.mesh, "echo", echo.port(), ProxyMesh.freePort(), "");
			try (SidecarProxy echoSidecar = ProxyMesh.start(this.mesh, "echo-sidecar-proxy")) {
				InetSocketAddress upstream = startWebSidecar(false);
				// Until the resolver knows both instances and round-robin has sent a connection to the impostor first.
				SidecarProxyIntegrationTests.eventually(() -> {
					String reply = exchange(upstream, "x");
					if (this.impostor.handshakes() == 0 || !reply.equals("xbye")) {
						throw new AssertionError("not both instances dialled yet");
					}
					return reply;
				});
				for (int i = 0; i < 6; i++) {
					assertThat(exchange(upstream, "hello" + i)).isEqualTo("hello" + i + "bye");
				}
				assertThat(this.impostor.bytesReceived()).isZero();
				assertThat(echoSidecar.publicAddress().getPort()).isPositive();
			}
		}
	}

	private InetSocketAddress startWebSidecar(boolean boringSsl) {
		int upstreamPort = ProxyMesh.freePort();
		ProxyMesh.registerWithSidecar(this.mesh, "web", 1, ProxyMesh.freePort(),
				"{\"DestinationName\":\"echo\",\"LocalBindPort\":" + upstreamPort + "}");
		this.webSidecar = ProxyMesh.start(this.mesh, "web-sidecar-proxy", boringSsl);
		return this.webSidecar.upstreamAddresses().get("echo");
	}

	private static String exchange(InetSocketAddress upstream, String text) throws IOException {
		try (Socket socket = ProxyMesh.connect(upstream)) {
			try {
				socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
				socket.shutdownOutput();
			}
			catch (IOException ex) {
				// Closed by the proxy before the write: nothing was forwarded.
			}
			try {
				return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
			}
			catch (IOException ex) {
				return "";
			}
		}
	}

	/** A TLS server with a valid leaf of another service, counting handshakes attempted and bytes it receives. */
	private static final class Impostor implements AutoCloseable {

		private final SSLServerSocket server;

		private final AtomicInteger handshakes = new AtomicInteger();

		private final AtomicLong received = new AtomicLong();

		Impostor(AgentCertificateSource source) throws Exception {
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(new KeyManager[] { new SnapshotKeyManager(source) },
					new TrustManager[] { new IdentityTrustManager(source, IdentityTrustManager.PeerVerifier.none()) },
					null);
			this.server = (SSLServerSocket) context.getServerSocketFactory()
				.createServerSocket(0, 50, InetAddress.getLoopbackAddress());
			this.server.setWantClientAuth(true);
			ProxyMesh.daemon(this::accept);
		}

		int port() {
			return this.server.getLocalPort();
		}

		int handshakes() {
			return this.handshakes.get();
		}

		long bytesReceived() {
			return this.received.get();
		}

		private void accept() {
			while (!this.server.isClosed()) {
				try {
					Socket socket = this.server.accept();
					this.handshakes.incrementAndGet();
					ProxyMesh.daemon(() -> read(socket));
				}
				catch (IOException ex) {
					return;
				}
			}
		}

		private void read(Socket socket) {
			try (socket; InputStream in = socket.getInputStream()) {
				byte[] buffer = new byte[4096];
				for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
					this.received.addAndGet(n);
				}
			}
			catch (IOException ex) {
				// The proxy refused the handshake: the expected outcome.
			}
		}

		@Override
		public void close() throws IOException {
			this.server.close();
		}

	}

}
