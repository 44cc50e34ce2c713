package dev.connect.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

import dev.connect.client.AgentCertificateSource;
import dev.connect.test.TestMesh;
import dev.connect.tls.IdentityTrustManager;
import dev.connect.tls.SnapshotKeyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The listeners' limits and TLS policy through two sidecars on the real dev agent: {@code max_inbound_connections},
 * {@code local_idle_timeout_ms} on the public listener, {@code idle_timeout_ms} on an upstream, and TLS 1.3 or 1.2
 * with AEAD suites only.
 */
class ListenerPolicyIntegrationTests {

	private final TestMesh mesh = TestMesh.start();

	private final ProxyMesh.EchoApp echo;

	private final int echoPublicPort = ProxyMesh.freePort();

	private final InetSocketAddress upstream = new InetSocketAddress("127.0.0.1", ProxyMesh.freePort());

	ListenerPolicyIntegrationTests() throws IOException {
		this.echo = new ProxyMesh.EchoApp();
		this.mesh.allow("web", "echo");
	}

	@AfterEach
	void stop() throws IOException {
		this.echo.close();
		this.mesh.close();
	}

	@Test
	void beyondMaxInboundConnectionsAConnectionIsRefusedAndCounted() throws Exception {
		// A TTL check here: the agent's TCP check would take the only slot now and then, and fail while it is taken.
		try (SidecarProxy echoSide = start("{\"max_inbound_connections\":1}", "{}",
				"{\"Name\":\"up\",\"TTL\":\"1h\",\"Status\":\"passing\"}")) {
			try (SidecarProxy webSide = startWeb()) {
				Socket first = open();
				try {
					assertThat(ProxyObservabilityIntegrationTests.exchange(this.upstream, "second")).isEmpty();
					assertThat(this.echo.accepted()).isEqualTo(1);
					assertThat(ProxyObservabilityIntegrationTests.value(
							ProxyObservabilityIntegrationTests.scrape(echoSide), "inbound_refused_total",
							"reason=\"limit\"")).isPositive();
				}
				finally {
					first.close();
				}
				// Served again once the first connection's slot is free.
				SidecarProxyIntegrationTests.eventually(() -> {
					assertThat(ProxyObservabilityIntegrationTests.exchange(this.upstream, "again")).isEqualTo("againbye");
					return true;
				});
				assertThat(webSide.upstreamAddresses()).containsKey("echo");
			}
		}
	}

	@Test
	void anIdleInboundConnectionIsClosedByThePublicListener() throws Exception {
		try (SidecarProxy echoSide = start("{\"local_idle_timeout_ms\":\"300\"}", "{}");
				SidecarProxy webSide = startWeb(); Socket socket = open()) {
			// Nothing more is sent: the proxy ends the connection, not the app (whose "bye" needs its input to end).
			assertThat(socket.getInputStream().read()).isEqualTo(-1);
			assertThat(echoSide.publicAddress().getPort()).isEqualTo(this.echoPublicPort);
			assertThat(webSide.upstreamAddresses()).containsKey("echo");
		}
	}

	@Test
	void anIdleUpstreamConnectionIsClosedByTheUpstreamListener() throws Exception {
		try (SidecarProxy echoSide = start("{}", "{\"idle_timeout_ms\":300.0}"); SidecarProxy webSide = startWeb();
				Socket socket = open()) {
			assertThat(socket.getInputStream().read()).isEqualTo(-1);
			assertThat(echoSide.publicAddress().getPort()).isEqualTo(this.echoPublicPort);
			assertThat(webSide.upstreamAddresses()).containsKey("echo");
		}
	}

	@Test
	void thePublicListenerSpeaksTls12OnlyWithAeadSuites() throws Exception {
		try (SidecarProxy echoSide = start("{}", "{}")) {
			AgentCertificateSource web = AgentCertificateSource.start(ProxyMesh.client(this.mesh), "web",
					Clock.systemUTC());
			try {
				web.ready(Duration.ofSeconds(10)).block();
				assertThatExceptionOfType(SSLException.class)
					.isThrownBy(() -> handshake(web, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"));
				assertThat(handshake(web, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"))
					.isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
				assertThat(echoSide.ready()).isTrue();
				assertThat(echoSide.tlsProvider()).isEqualTo("JDK");
			}
			finally {
				web.dispose();
			}
		}
	}

	private String handshake(AgentCertificateSource web, String suite) throws Exception {
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(new KeyManager[] { new SnapshotKeyManager(web) },
				new TrustManager[] { new IdentityTrustManager(web, IdentityTrustManager.PeerVerifier.none()) }, null);
		try (SSLSocket socket = (SSLSocket) context.getSocketFactory()
			.createSocket(InetAddress.getLoopbackAddress(), this.echoPublicPort)) {
			socket.setSoTimeout(10_000);
			socket.setEnabledProtocols(new String[] { "TLSv1.2" });
			socket.setEnabledCipherSuites(new String[] { suite });
			socket.startHandshake();
			return socket.getSession().getCipherSuite();
		}
	}

	private SidecarProxy start(String echoConfig, String upstreamConfig) {
		return start(echoConfig, upstreamConfig, """
				{"Name":"Connect Sidecar Listening","TCP":"127.0.0.1:%d","Interval":"200ms"}""".formatted(this.echoPublicPort));
	}

	private SidecarProxy start(String echoConfig, String upstreamConfig, String check) {
		ProxyMesh.register(this.mesh, """
				{"Name":"echo","ID":"echo","Port":%d,"Connect":{"SidecarService":{"Port":%d,"Address":"127.0.0.1",
				 "Checks":[%s],"Proxy":{"Config":%s}}}}"""
			.formatted(this.echo.port(), this.echoPublicPort, check, echoConfig));
		ProxyMesh.register(this.mesh, """
				{"Name":"web","ID":"web","Port":1,"Connect":{"SidecarService":{"Port":%d,"Address":"127.0.0.1",
				 "Proxy":{"Upstreams":[{"DestinationName":"echo","LocalBindPort":%d,"Config":%s}]}}}}"""
			.formatted(ProxyMesh.freePort(), this.upstream.getPort(), upstreamConfig));
		return ProxyMain.start(ProxyFlags.parse(List.of("-proxy-id", "echo-sidecar-proxy", "-admin-addr",
				"127.0.0.1:0"), Map.of("CONSUL_HTTP_ADDR", this.mesh.agentUrl())));
	}

	private SidecarProxy startWeb() {
		return ProxyMesh.start(this.mesh, "web-sidecar-proxy");
	}

	/** A relayed connection that has carried bytes both ways and stays open. */
	private Socket open() throws Exception {
		return SidecarProxyIntegrationTests.eventually(() -> {
			Socket socket = ProxyMesh.connect(this.upstream);
			try {
				socket.getOutputStream().write("open".getBytes(StandardCharsets.US_ASCII));
				assertThat(socket.getInputStream().readNBytes(4)).isEqualTo("open".getBytes(StandardCharsets.US_ASCII));
				return socket;
			}
			catch (IOException | AssertionError ex) {
				socket.close();
				throw ex;
			}
		});
	}

}
