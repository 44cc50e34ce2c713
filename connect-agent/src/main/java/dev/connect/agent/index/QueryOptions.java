package dev.connect.agent.index;

import java.time.Duration;

/**
 * The blocking parameters of a read: {@code ?index=} and {@code ?wait=}.
 *
 * @param index the index the client has seen; 0 means "answer at once"
 * @param waitTime how long to block at most, before the limit and jitter are applied; zero means the default
 */
public record QueryOptions(long index, Duration waitTime) {

	/** Consul's {@code default_query_time}. */
	public static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);

	/** Consul's {@code max_query_time}. */
	public static final Duration MAX_WAIT = Duration.ofMinutes(10);

	/** A non-blocking read. */
	public static final QueryOptions NON_BLOCKING = new QueryOptions(0, Duration.ZERO);

	public QueryOptions {
		if (index < 0) {
			throw new IllegalArgumentException("Index must not be negative, was " + index);
		}
		if (waitTime.isNegative()) {
			waitTime = Duration.ZERO;
		}
	}

	/**
	 * Returns whether the read blocks.
	 * @return {@code true} when an index was given
	 */
	public boolean blocking() {
		return this.index > 0;
	}

	/**
	 * Returns the wait after Consul's rules: zero becomes {@code defaultWait}, and nothing exceeds 10 minutes.
	 * @param defaultWait the endpoint's default wait
	 * @return the effective wait before jitter
	 */
	public Duration effectiveWait(Duration defaultWait) {
		Duration wait = this.waitTime.isZero() ? defaultWait : this.waitTime;
		return (wait.compareTo(MAX_WAIT) > 0) ? MAX_WAIT : wait;
	}

}
