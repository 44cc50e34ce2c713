package dev.connect.autoconfigure.registration;

import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

import dev.connect.api.CheckDefinition;
import dev.connect.api.GoDuration;
import dev.connect.api.ServiceConnect;
import dev.connect.api.ServiceRegistration;
import dev.connect.client.AgentClient;
import dev.connect.client.AgentException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Registers the application on start and deregisters it on stop.
 * <ol>
 * <li>It starts last (phase {@link Integer#MAX_VALUE}), after the web server is bound, so the registered port is
 * the real one; it stops first, so the instance leaves discovery before the web server drains, and it keeps the
 * shutdown waiting for {@code connect.registration.deregistration-delay} (1 s) after the deregistration, while the
 * application still serves, so that callers stop picking it before its web server closes their connections.</li>
 * <li>The instance ID is {@code <service>-<8 random hex>}, unique per instance; the registration is Connect-native
 * with a TTL check ({@code <id>-ttl}) and {@code DeregisterCriticalServiceAfter}.</li>
 * <li>Every third of the TTL it reports the application's readiness: {@code passing} while it accepts traffic,
 * {@code critical} while it refuses it (Boot's {@code ReadinessState}). When the agent answers that it does not
 * know the check (an agent restarted without its data), it registers again.</li>
 * </ol>
 */
final class ConnectServiceRegistrar implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ConnectServiceRegistrar.class);

	private final AgentClient client;

	private final ConnectRegistrationProperties properties;

	private final ServiceSpec spec;

	private final String instanceId;

	private final BooleanSupplier ready;

	private volatile @Nullable Disposable heartbeat;

	ConnectServiceRegistrar(AgentClient client, ConnectRegistrationProperties properties, ServiceSpec spec,
			BooleanSupplier ready) {
		this.client = client;
		this.properties = properties;
		this.spec = spec;
		this.ready = ready;
		this.instanceId = spec.name() + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
	}

	/**
	 * Returns this instance's ID with the agent.
	 * @return the instance ID
	 */
	public String instanceId() {
		return this.instanceId;
	}

	String checkId() {
		return this.instanceId + "-ttl";
	}

	ServiceRegistration registration() {
		CheckDefinition check = new CheckDefinition(checkId(), "Connect TTL for " + this.spec.name(), null, "passing",
				null, GoDuration.format(this.properties.getTtl()), null, null, null, null, false, null, null, null, null,
				GoDuration.format(this.properties.getDeregisterCriticalServiceAfter()), null);
		String address = (this.properties.getAddress() != null) ? this.properties.getAddress() : "";
		return new ServiceRegistration(this.instanceId, this.spec.name(), this.spec.tags(), address, null,
				this.spec.meta(), this.spec.port(), null, null, ServiceConnect.NATIVE, null, List.of(check), false, null);
	}

	@Override
	public void start() {
		this.client.register(registration()).block(Duration.ofSeconds(30));
		logger.info("Registered '" + this.instanceId + "' (service '" + this.spec.name() + "', port " + this.spec.port()
				+ ") with the agent at " + this.client.settings().address());
		Duration every = this.properties.getTtl().dividedBy(3);
		this.heartbeat = Flux.interval(every, every)
			.onBackpressureDrop()
			.concatMap((tick) -> beat())
			.subscribe();
	}

	private Mono<Void> beat() {
		boolean accepting = this.ready.getAsBoolean();
		return this.client
			.updateTtl(checkId(), accepting ? "passing" : "critical",
					accepting ? "Application accepts traffic" : "Application refuses traffic")
			.onErrorResume(AgentException.class, (error) -> {
				if (error.status() == 404) {
					logger.warn("The agent forgot '" + this.instanceId + "'; registering again");
					return this.client.register(registration());
				}
				logger.debug("Heartbeat of '" + this.instanceId + "' failed: " + error.getMessage());
				return Mono.empty();
			})
			.onErrorResume((error) -> Mono.empty());
	}

	@Override
	public void stop() {
		Disposable current = this.heartbeat;
		if (current != null) {
			current.dispose();
		}
		try {
			this.client.deregister(this.instanceId).block(Duration.ofSeconds(10));
		}
		catch (RuntimeException ex) {
			logger.warn("Unable to deregister '" + this.instanceId + "' (the agent removes it after "
					+ this.properties.getDeregisterCriticalServiceAfter() + "): " + ex.getMessage());
			return;
		}
		Duration delay = this.properties.getDeregistrationDelay();
		logger.info("Deregistered '" + this.instanceId + "'" + (delay.isZero() ? ""
				: "; serving " + delay.toMillis() + " ms more while callers learn it left"));
		// Callers' blocking queries learn of the deregistration within milliseconds on their agent; until then their
		// load balancers may still pick this instance, and a request sent on a kept-alive connection that the
		// stopping web server closes would fail after it was sent (not retried, since it may have been handled).
		try {
			Thread.sleep(delay.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		Disposable current = this.heartbeat;
		return current != null && !current.isDisposed();
	}

	@Override
	public int getPhase() {
		return Integer.MAX_VALUE;
	}

	/**
	 * What is registered.
	 * @param name the service name
	 * @param tags the tags
	 * @param meta the metadata
	 * @param port the port
	 */
	record ServiceSpec(String name, List<String> tags, Map<String, String> meta, int port) {

		static Map<String, String> meta(String[] pairs) {
			Map<String, String> meta = new LinkedHashMap<>();
			Arrays.stream(pairs).forEach((pair) -> {
				int equals = pair.indexOf('=');
				if (equals <= 0) {
					throw new IllegalStateException(
							"@ConnectService meta '" + pair + "' must be key=value, for example 'team=payments'");
				}
				meta.put(pair.substring(0, equals), pair.substring(equals + 1));
			});
			return meta;
		}

	}

}
