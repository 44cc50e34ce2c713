package dev.connect.proxy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import dev.connect.test.MeshTestClient;
import dev.connect.test.StubUpstream;
import dev.connect.test.TestMesh;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sidecar and the starter's side of the mesh, both ways: the mesh client the starter uses calls a plain HTTP app
 * behind a sidecar, and a plain app calls a Connect-native service (connect-test's stub, authorizing as the starter
 * does) through its sidecar's upstream listener.
 */
class InteropIntegrationTests {

	private final TestMesh mesh = TestMesh.start();

	private SidecarProxy sidecar;

	@AfterEach
	void stop() {
		if (this.sidecar != null) {
			this.sidecar.close();
		}
		this.mesh.close();
	}

	@Test
	void whenAMeshClientCallsASidecarFrontedAppThenTheSidecarProvesTheDestinationAndAuthorizesTheCaller()
			throws Exception {
		AtomicInteger requests = new AtomicInteger();
		HttpServer app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		app.createContext("/", (exchange) -> {
			requests.incrementAndGet();
			byte[] body = ("plain app, path " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		app.start();
		try {
			int sidecarPort = ProxyMesh.freePort();
			ProxyMesh.registerWithSidecar(this.mesh, "legacy", app.getAddress().getPort(), sidecarPort, "");
			this.sidecar = ProxyMesh.start(this.mesh, "legacy-sidecar-proxy");
			MeshTestClient dashboard = this.mesh.caller("dashboard");
			assertThatThrownBy(() -> dashboard.get("legacy", sidecarPort, "/hello")).isInstanceOf(RuntimeException.class);
			assertThat(requests.get()).isZero();
			this.mesh.allow("dashboard", "legacy");
			MeshTestClient.Response response = SidecarProxyIntegrationTests
				.eventually(() -> dashboard.get("legacy", sidecarPort, "/hello"));
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("plain app, path /hello");
			// A client that expects another service at that address refuses the sidecar's identity (with BoringSSL on
			// the client's side, the trust manager's message is the cause of the engine's).
			assertThatThrownBy(() -> dashboard.get("billing", sidecarPort, "/hello"))
				.hasStackTraceContaining("but the server presented '")
				.hasStackTraceContaining("/svc/legacy'");
		}
		finally {
			app.stop(0);
		}
	}

	@Test
	void whenASidecarFrontedAppCallsAConnectNativeServiceThenItIsAuthorizedAsTheSidecarsService() throws Exception {
		StubUpstream counting = this.mesh.stub("counting").respond("GET", "/count", 200, "{\"count\":42}");
		this.mesh.allow("legacy", "counting");
		int upstreamPort = ProxyMesh.freePort();
		ProxyMesh.registerWithSidecar(this.mesh, "legacy", 1, ProxyMesh.freePort(),
				"{\"DestinationName\":\"counting\",\"LocalBindPort\":" + upstreamPort + "}");
		this.sidecar = ProxyMesh.start(this.mesh, "legacy-sidecar-proxy");
		HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		HttpResponse<String> response = SidecarProxyIntegrationTests.eventually(() -> plain.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + upstreamPort + "/count")).build(),
				HttpResponse.BodyHandlers.ofString()));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"count\":42}");
		assertThat(counting.requests()).last()
			.satisfies((request) -> assertThat(request.caller()).endsWith("/svc/legacy"));
	}

}
