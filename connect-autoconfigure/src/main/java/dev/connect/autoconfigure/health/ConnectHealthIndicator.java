package dev.connect.autoconfigure.health;

import java.time.Clock;
import java.time.Duration;

import dev.connect.client.AgentCertificateSource;
import dev.connect.client.AgentClient;
import dev.connect.pki.ColonHex;
import dev.connect.tls.CertificateSnapshot;
import dev.connect.tls.CertificateSource;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import reactor.core.publisher.Mono;

/**
 * {@code connect}: UP while the service holds a valid leaf and roots, DOWN without them or once the leaf expired.
 * The agent's reachability is a detail, not the status: cached material keeps serving while the agent is away
 * (fail static), and the leaf's expiry is what ends that.
 */
final class ConnectHealthIndicator extends AbstractReactiveHealthIndicator {

	private static final Duration AGENT_PROBE_TIMEOUT = Duration.ofSeconds(2);

	private final CertificateSource source;

	private final AgentClient client;

	private final Clock clock;

	ConnectHealthIndicator(CertificateSource source, AgentClient client, Clock clock) {
		super("Connect health check failed");
		this.source = source;
		this.client = client;
		this.clock = clock;
	}

	@Override
	protected Mono<Health> doHealthCheck(Health.Builder builder) {
		return this.client.roots(0, Duration.ZERO)
			.timeout(AGENT_PROBE_TIMEOUT)
			.map((roots) -> true)
			.onErrorReturn(false)
			.map((reachable) -> health(builder, reachable));
	}

	private Health health(Health.Builder builder, boolean agentReachable) {
		builder.withDetail("agent", this.client.settings().address().toString())
			.withDetail("agentReachable", agentReachable);
		if (this.source instanceof AgentCertificateSource agentSource) {
			if (agentSource.lastRefresh() != null) {
				builder.withDetail("lastRefresh", agentSource.lastRefresh().toString());
			}
			if (agentSource.lastProblem() != null) {
				builder.withDetail("lastRefusedUpdate", agentSource.lastProblem());
			}
		}
		CertificateSnapshot snapshot = this.source.current();
		if (snapshot == null) {
			return builder.down().withDetail("reason", "no leaf certificate and roots yet").build();
		}
		builder.withDetail("spiffeId", snapshot.identity().toString())
			.withDetail("serialNumber", ColonHex.serial(snapshot.leaf().getSerialNumber()))
			.withDetail("validBefore", snapshot.validBefore().toString())
			.withDetail("trustDomain", snapshot.trustDomain().name())
			.withDetail("roots", snapshot.roots().size());
		if (!this.clock.instant().isBefore(snapshot.validBefore())) {
			return builder.down().withDetail("reason", "the leaf certificate expired").build();
		}
		return builder.up().build();
	}

}
