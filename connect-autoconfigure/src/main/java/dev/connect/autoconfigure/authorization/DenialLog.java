package dev.connect.autoconfigure.authorization;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import dev.connect.identity.ServiceIdentity;
import dev.connect.identity.SpiffeId;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Tells an operator about denied callers, at INFO, at most once per caller per {@link #INTERVAL}: a caller retrying
 * in a loop gives one line a minute, with the number of denials left unlogged since the previous one. A line names
 * the caller, this service, the agent's reason and the command that would allow the call.
 */
final class DenialLog {

	/** How often one caller's denials are logged at most. */
	static final Duration INTERVAL = Duration.ofMinutes(1);

	static final String DENIED = "Denied a call from '%s' to '%s': %s. %s (caller %s%s)";

	static final String ALLOW = "To allow it: consul intention create -replace -allow %s %s";

	static final String NOT_A_SERVICE = "No intention can allow it: the caller's identity is not a Consul service's";

	static final String SUPPRESSED = "; %d more denials of this caller since %s not logged";

	/** Past this many callers, those whose interval has passed are forgotten. */
	private static final int MAX_CALLERS = 4_096;

	private static final Log logger = LogFactory.getLog(IntentionAuthorizationWebFilter.class);

	private final String callee;

	private final Clock clock;

	private final Consumer<String> sink;

	private final Map<SpiffeId, Window> windows = new ConcurrentHashMap<>();

	DenialLog(String callee, Clock clock) {
		this(callee, clock, (line) -> {
			if (logger.isInfoEnabled()) {
				logger.info(line);
			}
		});
	}

	DenialLog(String callee, Clock clock, Consumer<String> sink) {
		this.callee = callee;
		this.clock = clock;
		this.sink = sink;
	}

	/**
	 * Records one denial, and logs it unless this caller's was logged less than {@link #INTERVAL} ago.
	 * @param caller the caller's SPIFFE ID
	 * @param service the caller's service identity, {@code null} when its ID is not a Consul service's
	 * @param reason the agent's reason
	 */
	void denied(SpiffeId caller, @Nullable ServiceIdentity service, String reason) {
		long now = this.clock.millis();
		Window[] ended = new Window[1];
		boolean[] log = new boolean[1];
		this.windows.compute(caller, (id, window) -> {
			if (window != null && now - window.start() < INTERVAL.toMillis()) {
				return window.suppressedOneMore();
			}
			ended[0] = window;
			log[0] = true;
			return new Window(now, 0);
		});
		if (log[0]) {
			this.sink.accept(message(caller, service, reason, ended[0]));
			forgetQuietCallers(now);
		}
	}

	private String message(SpiffeId caller, @Nullable ServiceIdentity service, String reason, @Nullable Window ended) {
		String name = (service != null) ? service.service() : caller.toString();
		String action = (service != null) ? String.format(ALLOW, service.service(), this.callee) : NOT_A_SERVICE;
		String suppressed = (ended != null && ended.suppressed() > 0)
				? String.format(SUPPRESSED, ended.suppressed(), Instant.ofEpochMilli(ended.start())) : "";
		return String.format(DENIED, name, this.callee, reason, action, caller, suppressed);
	}

	private void forgetQuietCallers(long now) {
		if (this.windows.size() > MAX_CALLERS) {
			this.windows.values().removeIf((window) -> now - window.start() >= INTERVAL.toMillis());
		}
	}

	/** One caller's current interval: when its last logged denial was, and how many followed unlogged. */
	private record Window(long start, int suppressed) {

		Window suppressedOneMore() {
			return new Window(this.start, this.suppressed + 1);
		}

	}

}
