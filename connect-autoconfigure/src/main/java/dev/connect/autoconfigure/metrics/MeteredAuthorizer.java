package dev.connect.autoconfigure.metrics;

import dev.connect.authz.Authorizer;
import dev.connect.authz.Decision;
import dev.connect.identity.SpiffeId;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import reactor.core.publisher.Mono;

/**
 * Times every authorization decision as {@code connect.authorization}, tagged {@code outcome}
 * ({@code allowed}, {@code denied}, {@code error}) and {@code cache} ({@code hit}, {@code miss}). The caller is
 * not a tag: its cardinality is unbounded.
 */
final class MeteredAuthorizer implements Authorizer {

	static final String METER = "connect.authorization";

	private final Authorizer delegate;

	private final MeterRegistry registry;

	MeteredAuthorizer(Authorizer delegate, MeterRegistry registry) {
		this.delegate = delegate;
		this.registry = registry;
	}

	@Override
	public Mono<Decision> authorize(SpiffeId caller) {
		return Mono.defer(() -> {
			Timer.Sample sample = Timer.start(this.registry);
			return this.delegate.authorize(caller)
				.doOnNext((decision) -> sample.stop(timer(decision.allowed() ? "allowed" : "denied",
						decision.cached() ? "hit" : "miss")))
				.doOnError((error) -> sample.stop(timer("error", "miss")));
		});
	}

	private Timer timer(String outcome, String cache) {
		return Timer.builder(METER)
			.description("Authorization decisions of callers against intentions")
			.tag("outcome", outcome)
			.tag("cache", cache)
			.register(this.registry);
	}

}
