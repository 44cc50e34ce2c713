package dev.connect.autoconfigure.authorization;

import java.time.Duration;

import dev.connect.authz.CachingAuthorizer;
import dev.connect.client.AgentClient;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;

/**
 * Keeps a blocking watch on {@code /v1/connect/intentions/match?by=destination&name=<self>} and invalidates the
 * decision cache on every change, so a new intention applies to the next request, on new and kept-alive
 * connections alike.
 */
final class IntentionWatch implements SmartLifecycle {

	/** How long each blocking read of this service's intentions and config entries waits. */
	static final Duration WAIT = Duration.ofMinutes(5);

	private final AgentClient client;

	private final String service;

	private final CachingAuthorizer cache;

	private volatile @Nullable Disposable watch;

	IntentionWatch(AgentClient client, String service, CachingAuthorizer cache) {
		this.client = client;
		this.service = service;
		this.cache = cache;
	}

	@Override
	public void start() {
		this.watch = this.client
			.watch("intentions for " + this.service, WAIT,
					(index, wait) -> this.client.intentionsFor(this.service, index, wait))
			.subscribe((change) -> this.cache.invalidateAll());
	}

	@Override
	public void stop() {
		Disposable current = this.watch;
		if (current != null) {
			current.dispose();
		}
	}

	@Override
	public boolean isRunning() {
		Disposable current = this.watch;
		return current != null && !current.isDisposed();
	}

}
