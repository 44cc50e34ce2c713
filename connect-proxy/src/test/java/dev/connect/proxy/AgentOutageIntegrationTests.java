package dev.connect.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

import dev.connect.client.AgentCertificateSource;
import dev.connect.client.AgentClient;
import dev.connect.client.AgentClientSettings;
import dev.connect.test.TestMesh;
import dev.connect.tls.IdentityTrustManager;
import dev.connect.tls.SnapshotKeyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent goes away while two sidecars serve: they keep their last material, instances and decisions (fail
 * static), and refuse a caller they have no decision for (fail closed).
 */
class AgentOutageIntegrationTests {

	private final TestMesh mesh = TestMesh.start();

	private SidecarProxy echoSidecar;

	private SidecarProxy webSidecar;

	@AfterEach
	void stop() {
		if (this.webSidecar != null) {
			this.webSidecar.close();
		}
		if (this.echoSidecar != null) {
			this.echoSidecar.close();
		}
		this.mesh.close();
	}

	@Test
	void whenTheAgentGoesAwayThenKnownCallersAreStillServedAndUnknownOnesRefused() throws Exception {
		try (ProxyMesh.EchoApp echo = new ProxyMesh.EchoApp()) {
			int echoPublic = ProxyMesh.freePort();
			int upstreamPort = ProxyMesh.freePort();
			ProxyMesh.registerWithSidecar(this.mesh, "echo", echo.port(), echoPublic, "");
			ProxyMesh.registerWithSidecar(this.mesh, "web", 1, ProxyMesh.freePort(),
					"{\"DestinationName\":\"echo\",\"LocalBindPort\":" + upstreamPort + "}");
			this.echoSidecar = ProxyMesh.start(this.mesh, "echo-sidecar-proxy");
			this.webSidecar = ProxyMesh.start(this.mesh, "web-sidecar-proxy");
			this.mesh.allow("web", "echo").allow("billing", "echo");
			InetSocketAddress upstream = new InetSocketAddress("127.0.0.1", upstreamPort);
			assertThat(SidecarProxyIntegrationTests.eventually(() -> {
				String reply = exchange(upstream, "before");
				if (reply.isEmpty()) {
					throw new AssertionError("not routed yet");
				}
				return reply;
			})).isEqualTo("beforebye");
			// A leaf for a caller the echo sidecar never decided on, taken while the agent is still there.
			AgentCertificateSource billing = AgentCertificateSource.start(AgentClient
				.create(AgentClientSettings.defaults().withAddress(URI.create(this.mesh.agentUrl()))), "billing",
					Clock.systemUTC());
			billing.ready(Duration.ofSeconds(10)).block();
			billing.dispose();

			this.mesh.agent().close();

			assertThat(exchange(upstream, "after")).isEqualTo("afterbye");
			int served = echo.accepted();
			try (SSLSocket stranger = connect(billing, new InetSocketAddress("127.0.0.1", echoPublic))) {
				stranger.startHandshake();
				stranger.getOutputStream().write(1);
				assertThat(readOrEnd(stranger.getInputStream())).isEqualTo(-1);
			}
			assertThat(echo.accepted()).isEqualTo(served);
		}
	}

	private static String exchange(InetSocketAddress upstream, String text) throws IOException {
		try (Socket socket = ProxyMesh.connect(upstream)) {
			socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
			socket.shutdownOutput();
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
		}
	}

	private static SSLSocket connect(AgentCertificateSource identity, InetSocketAddress address) throws Exception {
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(new KeyManager[] { new SnapshotKeyManager(identity) },
				new TrustManager[] { new IdentityTrustManager(identity, IdentityTrustManager.PeerVerifier.none()) },
				null);
		SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
		socket.connect(address, 5000);
		socket.setSoTimeout(10_000);
		return socket;
	}

	private static int readOrEnd(InputStream in) {
		try {
			return in.read();
		}
		catch (IOException ex) {
			return -1;
		}
	}

}
