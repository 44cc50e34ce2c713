package dev.connect.autoconfigure.tls.server;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The two read deadlines of one server connection after its handshake, on Go's {@code http.Server} model. Free of
 * Spring and Netty so that every server the starter configures can drive it from its own connection events.
 * <ol>
 * <li>When the connection is ready (handshake done) and whenever no request is left unanswered, the <em>idle</em>
 * deadline runs: the first byte of the next request must arrive before it.</li>
 * <li>That first byte ends the idle deadline and starts the <em>request-header</em> deadline: the request line and
 * headers must be complete before it. Both are hard deadlines: later bytes do not move them, so a client sending
 * a byte at a time cannot extend them.</li>
 * <li>Once the headers are in, no deadline runs until every request read has been answered, so a long-running
 * handler or a pipelined request behind it is never cut. Reading the body is not timed here.</li>
 * <li>When a deadline passes, {@code onExpiry} receives the reason; the caller closes the connection.</li>
 * </ol>
 * Not thread-safe: call every method from the thread of {@code scheduler}, which must be the connection's single
 * event thread (a Netty event loop); expiry runs there too.
 */
final class RequestDeadlines {

	private final Duration requestHeaderTimeout;

	private final Duration idleTimeout;

	private final ScheduledExecutorService scheduler;

	private final Consumer<String> onExpiry;

	private State state = State.CONNECTING;

	private long requests;

	private long responses;

	private @Nullable ScheduledFuture<?> deadline;

	private long generation;

	/**
	 * Creates the deadlines of one connection; none runs until {@link #connectionReady()} or the first byte.
	 * @param requestHeaderTimeout from the first byte of a request to its last header byte
	 * @param idleTimeout from the handshake or the last response to the first byte of the next request
	 * @param scheduler the connection's event thread
	 * @param onExpiry told why, once, when a deadline passes
	 */
	RequestDeadlines(Duration requestHeaderTimeout, Duration idleTimeout, ScheduledExecutorService scheduler,
			Consumer<String> onExpiry) {
		this.requestHeaderTimeout = positive(requestHeaderTimeout, "requestHeaderTimeout");
		this.idleTimeout = positive(idleTimeout, "idleTimeout");
		this.scheduler = Objects.requireNonNull(scheduler, "'scheduler' must not be null");
		this.onExpiry = Objects.requireNonNull(onExpiry, "'onExpiry' must not be null");
	}

	private static Duration positive(@Nullable Duration value, String name) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException("'" + name + "' must be a positive duration, but was " + value);
		}
		return value;
	}

	/** The handshake completed: the idle deadline starts, unless bytes already arrived. */
	void connectionReady() {
		if (this.state == State.CONNECTING) {
			arm(State.IDLE, this.idleTimeout, "no request began within the idle timeout of " + this.idleTimeout);
		}
	}

	/** Request bytes arrived: when the connection was idle, they begin a request and its header deadline. */
	void bytesReceived() {
		if (this.state == State.CONNECTING || this.state == State.IDLE) {
			arm(State.READING_HEADERS, this.requestHeaderTimeout,
					"the request line and headers were not complete within the request-header timeout of "
							+ this.requestHeaderTimeout);
		}
	}

	/** A request's line and headers have been read: no deadline until it and every earlier one are answered. */
	void requestReceived() {
		this.requests++;
		if (this.state != State.STOPPED) {
			disarm();
			this.state = State.IN_FLIGHT;
		}
	}

	/** A final response has been written: when it answered the last request read, the idle deadline starts. */
	void responseCompleted() {
		this.responses++;
		if (this.state == State.IN_FLIGHT && this.responses >= this.requests) {
			arm(State.IDLE, this.idleTimeout, "no request began within the idle timeout of " + this.idleTimeout);
		}
	}

	/** The connection closed, or is no longer timed: no deadline runs from now on. */
	void stop() {
		disarm();
		this.state = State.STOPPED;
	}

	private void arm(State next, Duration timeout, String reason) {
		disarm();
		this.state = next;
		long armed = this.generation;
		this.deadline = this.scheduler.schedule(() -> expire(armed, reason), timeout.toNanos(), TimeUnit.NANOSECONDS);
	}

	private void expire(long armed, String reason) {
		// A deadline cancelled after its task was taken off the queue must not close the connection.
		if (armed == this.generation && this.state != State.STOPPED) {
			stop();
			this.onExpiry.accept(reason);
		}
	}

	private void disarm() {
		this.generation++;
		if (this.deadline != null) {
			this.deadline.cancel(false);
			this.deadline = null;
		}
	}

	private enum State {

		/** Before the handshake: the handshake's own deadline applies. */
		CONNECTING,

		/** Waiting for the first byte of a request. */
		IDLE,

		/** Between the first byte of a request and the end of its headers. */
		READING_HEADERS,

		/** At least one request read and not answered yet. */
		IN_FLIGHT,

		/** Closed or untimed. */
		STOPPED

	}

}
