package dev.connect.autoconfigure.authorization;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The last denials of the authorization filter, newest first, for the {@code connect} endpoint. Bounded: the
 * oldest are dropped.
 */
public final class RecentDenials {

	static final int KEPT = 20;

	private final Deque<Denial> denials = new ArrayDeque<>();

	private final Clock clock;

	RecentDenials(Clock clock) {
		this.clock = clock;
	}

	synchronized void record(String caller, String reason) {
		this.denials.addFirst(new Denial(caller, reason, this.clock.instant()));
		while (this.denials.size() > KEPT) {
			this.denials.removeLast();
		}
	}

	/**
	 * Returns the kept denials, newest first.
	 * @return the denials
	 */
	public synchronized List<Denial> list() {
		return List.copyOf(this.denials);
	}

	/**
	 * One denied request.
	 * @param caller the caller's SPIFFE ID
	 * @param reason the agent's reason (an operator's view; callers never see it)
	 * @param at when
	 */
	public record Denial(String caller, String reason, Instant at) {
	}

}
