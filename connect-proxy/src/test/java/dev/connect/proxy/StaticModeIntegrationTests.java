package dev.connect.proxy;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.connect.test.TestMesh;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consul's static mode, with no proxy registration: {@code -service web -upstream echo:<port>} reaches a sidecar-fronted
 * app as {@code web}, and {@code -service echo -service-addr -listen} fronts an app.
 */
class StaticModeIntegrationTests {

	private final TestMesh mesh = TestMesh.start();

	@AfterEach
	void stop() {
		this.mesh.close();
	}

	@Test
	void staticProxiesCarryBytesBothWaysAsTheirServices() throws Exception {
		try (ProxyMesh.EchoApp echo = new ProxyMesh.EchoApp()) {
			int publicPort = ProxyMesh.freePort();
			// The static public listener is registered as a Connect-native instance so that the caller finds it.
			ProxyMesh.register(this.mesh, """
					{"Name":"echo","ID":"echo-static","Port":%d,"Address":"127.0.0.1","Connect":{"Native":true}}"""
				.formatted(publicPort));
			int upstreamPort = ProxyMesh.freePort();
			this.mesh.allow("web", "echo");
			try (SidecarProxy echoSide = start("-service", "echo", "-service-addr", "127.0.0.1:" + echo.port(),
					"-listen", "127.0.0.1:" + publicPort);
					SidecarProxy webSide = start("-service", "web", "-upstream", "echo:" + upstreamPort)) {
				assertThat(webSide.publicAddress()).isNull();
				assertThat(echoSide.publicAddress().getPort()).isEqualTo(publicPort);
				String reply = SidecarProxyIntegrationTests.eventually(() -> {
					String answer = exchange(new InetSocketAddress("127.0.0.1", upstreamPort), "static");
					if (answer.isEmpty()) {
						throw new AssertionError("not routed yet");
					}
					return answer;
				});
				assertThat(reply).isEqualTo("staticbye");
			}
		}
	}

	private SidecarProxy start(String... flags) {
		return ProxyMain.start(ProxyFlags.parse(List.of(flags), Map.of("CONSUL_HTTP_ADDR", this.mesh.agentUrl())));
	}

	private static String exchange(InetSocketAddress address, String text) throws Exception {
		try (Socket socket = ProxyMesh.connect(address)) {
			socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
			socket.shutdownOutput();
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
		}
	}

}
