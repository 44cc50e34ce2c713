package dev.connect.client;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

import dev.connect.api.Indexed;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Follows one blocking read with Consul's client rules:
 * <ol>
 * <li>The first call does not block (index 0); each next call blocks on the last index seen.</li>
 * <li>An answer is emitted when it is the first or its index moved; an index of 0 counts as 1.</li>
 * <li>When the index goes backwards (an agent restarted without its data, a snapshot restore), the watch resets to
 * 0 and reads again at once, emitting that answer.</li>
 * <li>Loops are rate-limited by a token bucket (burst 2, one token per {@value #MIN_INTERVAL_MILLIS} ms), so an
 * agent that answers at once without blocking never causes a busy loop.</li>
 * <li>After an error the call is retried: at once for the first 3 consecutive failures, then after 2^(n-3) seconds
 * (capped at 60 s) plus a random extra of up to the same, as Consul's agent cache backs off.</li>
 * </ol>
 * Errors are never emitted: the watch keeps trying until cancelled, logging the first failure of a streak.
 */
final class BlockingWatch<T> {

	static final long MIN_INTERVAL_MILLIS = 100;

	private static final Logger logger = System.getLogger(BlockingWatch.class.getName());

	private final String name;

	private final Duration wait;

	private final BiFunction<Long, Duration, Mono<Indexed<T>>> query;

	private final RandomGenerator random;

	private final Consumer<Throwable> errors;

	BlockingWatch(String name, Duration wait, BiFunction<Long, Duration, Mono<Indexed<T>>> query,
			RandomGenerator random, Consumer<Throwable> errors) {
		this.name = name;
		this.wait = wait;
		this.query = query;
		this.random = random;
		this.errors = errors;
	}

	Flux<Indexed<T>> flux() {
		return Flux.defer(() -> {
			Loop loop = new Loop();
			// One call at a time: repeat() subscribes again only after the previous call completed.
			return Mono.defer(() -> Mono.delay(loop.delayBeforeCall())
				.then(Mono.defer(() -> this.query.apply(loop.index, this.wait)))
				.map(Optional::of)
				.onErrorResume((error) -> {
					loop.failed(error);
					return Mono.just(Optional.empty());
				}))
				.repeat()
				.concatMapIterable(loop::answered);
		});
	}

	/** Backoff after {@code failures} consecutive failures. */
	static Duration backoff(int failures, RandomGenerator random) {
		if (failures <= 3) {
			return Duration.ZERO;
		}
		long base = Math.min(60_000L, 1000L << Math.min(failures - 3, 6));
		return Duration.ofMillis(base + random.nextLong(base + 1));
	}

	private final class Loop {

		private long index;

		private boolean emitted;

		private int failures;

		private double tokens = 2;

		private long refilledAt = System.nanoTime();

		Duration delayBeforeCall() {
			Duration backoff = (this.failures > 0)
					? backoff(this.failures, BlockingWatch.this.random).plusMillis(MIN_INTERVAL_MILLIS) : Duration.ZERO;
			Duration throttle = throttle();
			return (backoff.compareTo(throttle) > 0) ? backoff : throttle;
		}

		List<Indexed<T>> answered(Optional<Indexed<T>> result) {
			if (result.isEmpty()) {
				return List.of();
			}
			Indexed<T> answer = result.get();
			this.failures = 0;
			long answerIndex = Math.max(1, answer.index());
			if (this.index > 0 && answerIndex < this.index) {
				this.index = 0;
				this.emitted = false;
				return List.of();
			}
			if (!this.emitted || answerIndex != this.index) {
				this.emitted = true;
				this.index = answerIndex;
				return List.of(new Indexed<>(answerIndex, answer.value()));
			}
			return List.of();
		}

		void failed(Throwable error) {
			this.failures++;
			BlockingWatch.this.errors.accept(error);
			if (this.failures == 1) {
				logger.log(Level.WARNING,
						() -> "Watch of " + BlockingWatch.this.name + " failed, retrying: " + error.getMessage());
			}
		}

		/** Token bucket: burst 2, one token per MIN_INTERVAL. Returns how long to wait for a token. */
		private Duration throttle() {
			long now = System.nanoTime();
			this.tokens = Math.min(2, this.tokens + Math.max(0, now - this.refilledAt) / (MIN_INTERVAL_MILLIS * 1e6));
			this.refilledAt = now;
			if (this.tokens >= 1) {
				this.tokens -= 1;
				return Duration.ZERO;
			}
			long waitNanos = (long) ((1 - this.tokens) * MIN_INTERVAL_MILLIS * 1e6);
			this.tokens = 0;
			this.refilledAt = now + waitNanos;
			return Duration.ofNanos(waitNanos);
		}

	}

}
