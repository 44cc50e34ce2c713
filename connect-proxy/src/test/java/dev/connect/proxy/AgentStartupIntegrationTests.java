package dev.connect.proxy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.connect.agent.DevAgentSettings;
import dev.connect.client.AgentException;
import dev.connect.test.TestMesh;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A proxy started before its agent waits for it, and one whose agent never comes gives up naming the address. */
class AgentStartupIntegrationTests {

	@Test
	void whenTheAgentComesUpLaterThenTheProxyStartsOnceItAnswers() throws Exception {
		int agentPort = ProxyMesh.freePort();
		ProxyConfig config = ProxyFlags.parse(List.of("-sidecar-for", "echo", "-http-addr", "127.0.0.1:" + agentPort),
				Map.of());
		CompletableFuture<SidecarProxy> starting = CompletableFuture
			.supplyAsync(() -> ProxyMain.start(config, Duration.ofSeconds(15)));
		Thread.sleep(1500);
		assertThat(starting).isNotDone();
		try (TestMesh mesh = TestMesh.start(DevAgentSettings.defaults().withHttpPort(agentPort))) {
			ProxyMesh.registerWithSidecar(mesh, "echo", 9000, ProxyMesh.freePort(), "");
			try (SidecarProxy proxy = starting.get(15, TimeUnit.SECONDS)) {
				assertThat(proxy.publicAddress().getPort()).isPositive();
			}
		}
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
