package dev.connect.agent.ca;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Consul's CSR rate limit: a token bucket of burst 1 refilled at {@code perSecond}; a request waits for its slot
 * when that is at most 500 ms away and otherwise fails at once, without taking a slot (Go's
 * {@code rate.Limiter.Wait} under a 500 ms deadline). A rate of 0 disables the limit.
 */
final class CsrRateLimiter {

	static final Duration MAX_WAIT = Duration.ofMillis(500);

	private final double perSecond;

	private final LongSupplier nanoTime;

	private final Sleeper sleeper;

	private long nextSlot;

	private boolean started;

	CsrRateLimiter(double perSecond, LongSupplier nanoTime, Sleeper sleeper) {
		this.perSecond = perSecond;
		this.nanoTime = nanoTime;
		this.sleeper = sleeper;
	}

	static CsrRateLimiter system(double perSecond) {
		return new CsrRateLimiter(perSecond, System::nanoTime, Sleeper.THREAD);
	}

	/**
	 * Takes a slot, sleeping until it comes when it is near.
	 * @throws RateLimitedException when the next slot is more than 500 ms away
	 */
	void acquire() {
		if (this.perSecond == 0) {
			return;
		}
		long wait = reserve();
		if (wait > 0) {
			this.sleeper.sleepNanos(wait);
		}
	}

	private synchronized long reserve() {
		long now = this.nanoTime.getAsLong();
		long slot = (!this.started || now - this.nextSlot > 0) ? now : this.nextSlot;
		long wait = slot - now;
		if (wait > MAX_WAIT.toNanos()) {
			throw new RateLimitedException();
		}
		this.started = true;
		this.nextSlot = slot + (long) (1_000_000_000L / this.perSecond);
		return wait;
	}

	/** Waits for a number of nanoseconds; replaced in tests. */
	interface Sleeper {

		Sleeper THREAD = (nanos) -> {
			try {
				Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for a CSR rate-limit slot", ex);
			}
		};

		void sleepNanos(long nanos);

	}

}
