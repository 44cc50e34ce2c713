package dev.connect.autoconfigure.metrics;

import java.util.concurrent.atomic.AtomicReference;

import dev.connect.client.AgentCertificateSource;
import dev.connect.tls.CertificateSnapshot;
import dev.connect.tls.CertificateSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts rotations seen by the certificate source: {@code connect.leaf.rotations} when a new leaf is published,
 * {@code connect.roots.rotations} when the set of trusted roots changes; and failed agent calls of its watches,
 * {@code connect.agent.watch.errors} tagged with the {@code endpoint}.
 */
final class RotationMetrics {

	private final AtomicReference<CertificateSnapshot> last = new AtomicReference<>();

	private final Counter leaves;

	private final Counter roots;

	RotationMetrics(CertificateSource source, MeterRegistry registry) {
		this.leaves = Counter.builder("connect.leaf.rotations")
			.description("New leaf certificates put in use without a restart")
			.register(registry);
		this.roots = Counter.builder("connect.roots.rotations")
			.description("Changes of the trusted CA roots put in use without a restart")
			.register(registry);
		this.last.set(source.current());
		source.onChange(this::changed);
		if (source instanceof AgentCertificateSource agentSource) {
			agentSource.onWatchError((endpoint, error) -> Counter.builder("connect.agent.watch.errors")
				.description("Failed calls of the agent watches")
				.tag("endpoint", endpoint)
				.register(registry)
				.increment());
		}
	}

	private void changed(CertificateSnapshot next) {
		CertificateSnapshot previous = this.last.getAndSet(next);
		if (previous == null) {
			return;
		}
		if (!previous.leaf().equals(next.leaf())) {
			this.leaves.increment();
		}
		if (!previous.roots().equals(next.roots())) {
			this.roots.increment();
		}
	}

}
