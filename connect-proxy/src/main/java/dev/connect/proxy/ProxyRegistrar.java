package dev.connect.proxy;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.connect.api.AgentService;
import dev.connect.api.CheckDefinition;
import dev.connect.api.ConnectProxyConfig;
import dev.connect.api.ServiceRegistration;
import dev.connect.client.AgentClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code -register}: the static proxy registers itself with the local agent as Consul's built-in proxy does
 * ({@code command/connect/proxy/register.go}), and keeps the registration alive:
 * <ol>
 * <li>a {@code connect-proxy} service with ID {@code <service>-proxy[-<register-id>]}, name {@code <service>-proxy},
 * the public listener's address and port, and {@code Proxy.DestinationServiceName = <service>};</li>
 * <li>one TTL check {@code <id>-ttl} ("proxy heartbeat", TTL 30 s, passing at registration), passed every third of
 * its TTL, so that two heartbeats may be lost before it turns critical;</li>
 * <li>every 30 s the agent's services are read, and the proxy registered again when it is missing or its address or
 * port differ (an agent restarted without its data, for example);</li>
 * <li>on a clean shutdown the service is deregistered (three attempts, 500 ms apart).</li>
 * </ol>
 */
final class ProxyRegistrar implements AutoCloseable {

	private static final Logger logger = System.getLogger(ProxyRegistrar.class.getName());

	static final Duration TTL = Duration.ofSeconds(30);

	private final AgentClient client;

	private final String id;

	private final ServiceRegistration registration;

	private final Disposable heartbeat;

	private final Disposable reconcile;

	private ProxyRegistrar(AgentClient client, String id, ServiceRegistration registration, Duration ttl) {
		this.client = client;
		this.id = id;
		this.registration = registration;
		String checkId = id + "-ttl";
		this.heartbeat = Flux.interval(ttl.dividedBy(3))
			.concatMap((tick) -> client.updateTtl(checkId, "passing", "")
				.onErrorResume((error) -> warn("Heartbeat of ''{0}'' failed: {1}", checkId, error)))
			.subscribe();
		this.reconcile = Flux.interval(ttl)
			.concatMap((tick) -> reconcile().onErrorResume(
					(error) -> warn("Unable to check the registration of ''{0}'': {1}", id, error)))
			.subscribe();
	}

	/**
	 * Registers the proxy and starts heartbeating.
	 * @param client the agent client
	 * @param service the service the proxy represents
	 * @param idSuffix the ID suffix ({@code -register-id}), or {@code null}
	 * @param address the public listener's host as given to {@code -listen} (may be empty)
	 * @param port the public listener's port
	 * @param ttl the check's TTL; heartbeats every third of it
	 * @return the registrar; close it to deregister
	 * @throws IllegalStateException when the agent refuses the registration, with its answer
	 */
	static ProxyRegistrar start(AgentClient client, String service, @org.jspecify.annotations.Nullable String idSuffix,
			String address, int port, Duration ttl) {
		String id = service + "-proxy" + ((idSuffix != null) ? "-" + idSuffix : "");
		CheckDefinition check = new CheckDefinition(id + "-ttl", "proxy heartbeat",
				"Built-in proxy will heartbeat this check.", "passing", null, ttl.toSeconds() + "s", null, null, null,
				null, false, null, null, null, null, null, null);
		ServiceRegistration registration = new ServiceRegistration(id, service + "-proxy", List.of(), address, null,
				Map.of(), port, "connect-proxy",
				new ConnectProxyConfig(service, null, null, 0, null, null, null), null, check, null, false, null);
		try {
			client.register(registration).block(client.settings().requestTimeout().plusSeconds(1));
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("Unable to register the proxy as '" + id + "': " + ex.getMessage(), ex);
		}
		logger.log(Level.INFO, "Registered the proxy as ''{0}'' with the TTL check ''{1}''", id, check.checkId());
		return new ProxyRegistrar(client, id, registration, ttl);
	}

	/** Registers again when the agent no longer has the proxy as registered. */
	private Mono<Void> reconcile() {
		return this.client.services().flatMap((services) -> {
			AgentService current = services.get(this.id);
			if (current != null && current.port() == this.registration.port()
					&& String.valueOf(current.address()).equals(String.valueOf(this.registration.address()))) {
				return Mono.empty();
			}
			logger.log(Level.INFO, "The agent no longer has ''{0}'' as registered: registering it again",
					this.id);
			return this.client.register(this.registration);
		});
	}

	private static <T> Mono<T> warn(String message, String subject, Throwable error) {
		logger.log(Level.WARNING, message, subject, error.getMessage());
		return Mono.empty();
	}

	/** Stops heartbeating and deregisters the proxy, trying three times. */
	@Override
	public void close() {
		this.heartbeat.dispose();
		this.reconcile.dispose();
		String id = this.id;
		for (int attempt = 1; attempt <= 3; attempt++) {
			try {
				this.client.deregister(id).block(this.client.settings().requestTimeout().plusSeconds(1));
				logger.log(Level.INFO, "Deregistered ''{0}''", id);
				return;
			}
			catch (RuntimeException ex) {
				logger.log(Level.WARNING, "Unable to deregister ''{0}'' (attempt {1} of 3): {2}", id, attempt,
						ex.getMessage());
				if (attempt < 3) {
					sleep();
				}
			}
		}
	}

	private static void sleep() {
		try {
			Thread.sleep(500);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
