package dev.connect.proxy;

import java.time.Duration;

import dev.connect.api.AgentService;
import dev.connect.client.AgentClient;
import dev.connect.test.TestMesh;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hash-based blocking on {@code /v1/agent/service/<proxy-id>} against the dev agent, as the proxy follows its
 * registration: a call with the last hash waits, and answers with the new hash once the registration changes.
 */
class RegistrationHashIntegrationTests {

	private final TestMesh mesh = TestMesh.start();

	@AfterEach
	void stop() {
		this.mesh.close();
	}

	@Test
	void whenTheRegistrationChangesThenTheBlockedCallAnswersWithTheNewHash() {
		ProxyMesh.registerWithSidecar(this.mesh, "echo", 9000, 21500, "");
		AgentClient client = ProxyMesh.client(this.mesh);
		AgentService first = client.service("echo-sidecar-proxy", null, Duration.ZERO).block(Duration.ofSeconds(5));
		assertThat(first.contentHash()).isNotEmpty();
		ProxyRegistration registration = ProxyRegistration.from(first);
		assertThat(registration.handshakeTimeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(registration.upstreams()).isEmpty();

		long started = System.nanoTime();
		AgentService unchanged = client.service("echo-sidecar-proxy", first.contentHash(), Duration.ofMillis(500))
			.block(Duration.ofSeconds(5));
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(450));
		assertThat(unchanged.contentHash()).isEqualTo(first.contentHash());

		Mono<AgentService> blocked = client.service("echo-sidecar-proxy", first.contentHash(), Duration.ofSeconds(30))
			.cache();
		blocked.subscribe();
		ProxyMesh.registerWithSidecar(this.mesh, "echo", 9000, 21500,
				"{\"DestinationName\":\"db\",\"LocalBindPort\":9191}");
		AgentService changed = blocked.block(Duration.ofSeconds(10));
		assertThat(changed.contentHash()).isNotEqualTo(first.contentHash());
		assertThat(ProxyRegistration.from(changed).upstreams()).singleElement()
			.satisfies((upstream) -> assertThat(upstream.localBindPort()).isEqualTo(9191));
	}

}
