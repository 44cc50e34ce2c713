package dev.connect.agent.ca;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * While Vault cannot be reached, calls fail fast until a backoff has passed: 1 s, doubling up to 5 s, reset by the
 * first call that reaches Vault. Refusals by Vault (a status) do not back off: they are answers.
 */
final class VaultBackoff {

	static final Duration FIRST = Duration.ofSeconds(1);

	static final Duration MAX = Duration.ofSeconds(5);

	private final Clock clock;

	private Duration delay = Duration.ZERO;

	private @Nullable Instant retryAt;

	private @Nullable String lastFailure;

	VaultBackoff(Clock clock) {
		this.clock = clock;
	}

	/** @throws IllegalStateException while backing off, with the last failure */
	synchronized void check(URI address) {
		Instant at = this.retryAt;
		if (at != null && this.clock.instant().isBefore(at)) {
			throw new IllegalStateException("Vault at " + address + " could not be reached (" + this.lastFailure
					+ "); retrying after " + at);
		}
	}

	synchronized void succeeded() {
		this.delay = Duration.ZERO;
		this.retryAt = null;
		this.lastFailure = null;
	}

	synchronized void failed(VaultClient.VaultCallException failure) {
		if (failure.status() != 0) {
			return;
		}
		this.delay = this.delay.isZero() ? FIRST : (this.delay.multipliedBy(2).compareTo(MAX) > 0 ? MAX
				: this.delay.multipliedBy(2));
		this.retryAt = this.clock.instant().plus(this.delay);
		this.lastFailure = failure.getMessage();
	}

	/** After a restart nothing is known: the first call goes to Vault. */
	synchronized void resumed() {
		succeeded();
	}

}
