package dev.connect.proxy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.connect.api.AgentService;
import dev.connect.test.TestMesh;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code -register} on the real dev agent: the static proxy registers itself as Consul's built-in proxy does, its TTL
 * check is kept passing by heartbeats, and a clean shutdown deregisters it.
 */
class ProxyRegistrarIntegrationTests {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private final TestMesh mesh = TestMesh.start();

	@AfterEach
	void stop() {
		this.mesh.close();
	}

	@Test
	void registerRegistersTheProxyWithAPassingTtlCheckAndAShutdownDeregistersIt() throws Exception {
		int publicPort = ProxyMesh.freePort();
		SidecarProxy proxy = ProxyMain.start(ProxyFlags.parse(List.of("-service", "echo", "-service-addr",
				"127.0.0.1:1", "-listen", "127.0.0.1:" + publicPort, "-register", "-register-id", "a"),
				Map.of("CONSUL_HTTP_ADDR", this.mesh.agentUrl())));
		try {
			AgentService registered = ProxyMesh.client(this.mesh).services().block().get("echo-proxy-a");
			assertThat(registered.kind()).isEqualTo("connect-proxy");
			assertThat(registered.service()).isEqualTo("echo-proxy");
			assertThat(registered.address()).isEqualTo("127.0.0.1");
			assertThat(registered.port()).isEqualTo(publicPort);
			assertThat(registered.proxy().destinationServiceName()).isEqualTo("echo");
			assertThat(checkStatus("echo-proxy-a-ttl")).isEqualTo("passing");
		}
		finally {
			proxy.close();
		}
		assertThat(ProxyMesh.client(this.mesh).services().block()).doesNotContainKey("echo-proxy-a");
	}

	@Test
	void heartbeatsTurnAFailedTtlCheckPassingAgainAndAMissingRegistrationIsRestored() throws Exception {
		ProxyRegistrar registrar = ProxyRegistrar.start(ProxyMesh.client(this.mesh), "echo", null, "", 21000,
				Duration.ofSeconds(1));
		try {
			put("/v1/agent/check/fail/echo-proxy-ttl");
			assertThat(checkStatus("echo-proxy-ttl")).isEqualTo("critical");
			SidecarProxyIntegrationTests.eventually(() -> {
				assertThat(checkStatus("echo-proxy-ttl")).isEqualTo("passing");
				return true;
			});
			put("/v1/agent/service/deregister/echo-proxy");
			SidecarProxyIntegrationTests.eventually(() -> {
				assertThat(ProxyMesh.client(this.mesh).services().block()).containsKey("echo-proxy");
				return true;
			});
		}
		finally {
			registrar.close();
		}
		assertThat(ProxyMesh.client(this.mesh).services().block()).doesNotContainKey("echo-proxy");
	}

	private String checkStatus(String checkId) throws IOException, InterruptedException {
		HttpResponse<String> checks = HTTP.send(
				HttpRequest.newBuilder(URI.create(this.mesh.agentUrl() + "/v1/agent/checks")).build(),
				HttpResponse.BodyHandlers.ofString());
		String body = checks.body();
		int at = body.indexOf("\"" + checkId + "\"");
		assertThat(at).as("check %s in %s", checkId, body).isNotNegative();
		java.util.regex.Matcher status = java.util.regex.Pattern.compile("\"Status\"\\s*:\\s*\"(\\w+)\"").matcher(body);
		assertThat(status.find(at)).as("status of %s in %s", checkId, body).isTrue();
		return status.group(1);
	}

	private void put(String path) throws IOException, InterruptedException {
		HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(this.mesh.agentUrl() + path))
			.PUT(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
	}

}
