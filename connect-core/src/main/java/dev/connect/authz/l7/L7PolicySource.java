package dev.connect.authz.l7;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;

import dev.connect.api.ConfigEntry;
import dev.connect.api.Indexed;
import dev.connect.client.AgentClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * The L7 intentions in force for one destination service, kept current by four blocking watches: the destination's
 * {@code service-intentions} and {@code service-defaults} entries, {@code proxy-defaults/global} and
 * {@code mesh/mesh}.
 * <ol>
 * <li>Until every watch has answered once, {@link #current()} is {@link L7Policy#NONE}: every caller is decided by
 * the agent's L4 answer, which denies a caller with an L7 source (Consul's rule), so nothing is allowed early.</li>
 * <li>An entry that cannot be read as Consul defines it makes the policy {@link L7Policy#refusing refuse} every
 * request until a readable entry arrives.</li>
 * <li>While the agent cannot be reached, the last policy stays (fail static, as the leaf and the roots do).</li>
 * </ol>
 */
public final class L7PolicySource implements AutoCloseable {

	private static final Logger logger = System.getLogger(L7PolicySource.class.getName());

	private volatile L7Policy current = L7Policy.NONE;

	private final Disposable watches;

	private L7PolicySource(AgentClient client, String destination, Duration wait) {
		this.watches = Flux
			.combineLatest(watch(client, "service-intentions", destination, wait),
					watch(client, "service-defaults", destination, wait), watch(client, "proxy-defaults", "global", wait),
					watch(client, "mesh", "mesh", wait),
					(entries) -> compile(destination, (ConfigEntry) entries[0], (ConfigEntry) entries[1],
							(ConfigEntry) entries[2], (ConfigEntry) entries[3]))
			.subscribe((policy) -> this.current = policy);
	}

	/**
	 * Starts following a destination's L7 intentions.
	 * @param client the agent client
	 * @param destination the destination service: this application's service name
	 * @param wait how long each blocking call waits
	 * @return the source; close it to stop the watches
	 */
	public static L7PolicySource watch(AgentClient client, String destination, Duration wait) {
		Objects.requireNonNull(client, "'client' must not be null");
		Objects.requireNonNull(destination, "'destination' must not be null");
		return new L7PolicySource(client, destination, wait);
	}

	private static Flux<ConfigEntry> watch(AgentClient client, String kind, String name, Duration wait) {
		return client.watch(kind + "/" + name, wait, (index, timeout) -> client.configEntry(kind, name, index, timeout))
			.map(Indexed::value);
	}

	static L7Policy compile(String destination, ConfigEntry intentions, ConfigEntry serviceDefaults,
			ConfigEntry proxyDefaults, ConfigEntry mesh) {
		try {
			if (intentions.entry().isEmpty()) {
				return L7Policy.NONE;
			}
			String protocol = L7Policy.protocolOf(serviceDefaults.entry().orElse(null),
					proxyDefaults.entry().orElse(null));
			RequestNormalization normalization = mesh.entry()
				.map(RequestNormalization::fromMeshEntry)
				.orElse(RequestNormalization.DEFAULT);
			return L7Policy.of(intentions.entry().get(), protocol, intentions.defaultAllow(), normalization);
		}
		catch (MalformedEntryException ex) {
			String reason = "the L7 rules for '" + destination + "' cannot be read: " + ex.getMessage();
			logger.log(Level.WARNING, reason);
			return L7Policy.refusing(reason);
		}
	}

	/**
	 * The policy in force now.
	 * @return the policy, {@link L7Policy#NONE} until the first answers
	 */
	public L7Policy current() {
		return this.current;
	}

	@Override
	public void close() {
		this.watches.dispose();
	}

}
