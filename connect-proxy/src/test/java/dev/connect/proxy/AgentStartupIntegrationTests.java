package dev.connect.proxy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.connect.agent.DevAgentSettings;
import dev.connect.client.AgentException;
import dev.connect.test.TestMesh;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A proxy started before its agent waits for it, and one whose agent never comes gives up naming the address. */
class AgentStartupIntegrationTests {

	@Test
	void whenTheAgentComesUpLaterThenTheProxyStartsOnceItAnswers(@TempDir Path dataDir) throws Exception {
		// The registration is in the agent's data directory before the agent answers on the proxy's port, so the
		// proxy's first successful call already finds it: no race between the agent starting and the registration.
		int sidecarPort = ProxyMesh.freePort();
		try (TestMesh first = TestMesh.start(DevAgentSettings.defaults().withHttpPort(0).withDataDir(dataDir))) {
			ProxyMesh.registerWithSidecar(first, "echo", 9000, sidecarPort, "");
		}
		int agentPort = ProxyMesh.freePort();
		int adminPort = ProxyMesh.freePort();
		ProxyConfig config = ProxyFlags.parse(List.of("-sidecar-for", "echo", "-http-addr", "127.0.0.1:" + agentPort,
				"-admin-addr", "127.0.0.1:" + adminPort), Map.of());
		CompletableFuture<SidecarProxy> starting = CompletableFuture
			.supplyAsync(() -> ProxyMain.start(config, Duration.ofSeconds(20)));
		Thread.sleep(1500);
		assertThat(starting).isNotDone();
		// The admin address answers from the start: not ready while there is no public listener.
		assertThat(ready(adminPort)).isEqualTo(503);
		try (TestMesh mesh = TestMesh.start(DevAgentSettings.defaults().withHttpPort(agentPort).withDataDir(dataDir))) {
			assertThat(mesh.agentUrl()).endsWith(":" + agentPort);
			try (SidecarProxy proxy = starting.get(20, TimeUnit.SECONDS)) {
				assertThat(proxy.publicAddress().getPort()).isEqualTo(sidecarPort);
				assertThat(ready(adminPort)).isEqualTo(200);
			}
		}
	}

	private static int ready(int adminPort) throws Exception {
		return java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + adminPort + "/ready"))
				.build(), java.net.http.HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

	@Test
	void whenTheAgentNeverAnswersThenTheStartFailsNamingItsAddress() {
		int agentPort = ProxyMesh.freePort();
		ProxyConfig config = ProxyFlags.parse(List.of("-proxy-id", "echo-sidecar-proxy", "-http-addr",
				"127.0.0.1:" + agentPort), Map.of());
		long started = System.nanoTime();
		assertThatThrownBy(() -> ProxyMain.start(config, Duration.ofSeconds(2))).isInstanceOf(AgentException.class)
			.hasMessageStartingWith("Unable to reach the agent at http://127.0.0.1:" + agentPort
					+ " for GET /v1/agent/service/echo-sidecar-proxy");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
	}

}
