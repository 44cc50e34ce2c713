package dev.connect.proxy.upstream;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One entry of a proxy registration's {@code Proxy.Upstreams}: a local plain TCP port whose connections go to a mesh
 * service over mTLS.
 *
 * @param destinationName the service called
 * @param localBindAddress where the local listener binds, {@code 127.0.0.1} by default
 * @param localBindPort the local listener's port (1-65535)
 * @param connectTimeout how long dialling an instance may take, connect and handshake, 10 seconds by default
 * ({@code Config.connect_timeout_ms})
 * @param idleTimeout how long a relayed connection may carry no byte either way before it is closed, 1 hour by
 * default, zero for no limit ({@code Config.idle_timeout_ms})
 */
public record UpstreamConfig(String destinationName, String localBindAddress, int localBindPort,
		Duration connectTimeout, Duration idleTimeout) {

	/** The idle timeout when none is configured: Envoy's TCP proxy default. */
	public static final Duration IDLE_TIMEOUT = Duration.ofHours(1);

	/** The refusal of a {@code *_ms} setting that is not a whole number of milliseconds: the key, then the value. */
	public static final String NUMBER_MESSAGE = "%s '%s' must be a whole number of milliseconds, for example 1000, 1000.0 or \"1000\"";

	public UpstreamConfig {
		Objects.requireNonNull(destinationName, "'destinationName' must not be null");
		Objects.requireNonNull(localBindAddress, "'localBindAddress' must not be null");
		Objects.requireNonNull(connectTimeout, "'connectTimeout' must not be null");
		Objects.requireNonNull(idleTimeout, "'idleTimeout' must not be null");
		if (localBindPort < 1 || localBindPort > 65535) {
			throw new IllegalArgumentException("Upstream '" + destinationName + "' LocalBindPort '" + localBindPort
					+ "' must be between 1 and 65535");
		}
	}

	/**
	 * Reads an upstream as the agent answers it (Consul's JSON names). Refused, with a message naming the field and
	 * what is allowed: a prepared query, a Unix socket, another datacenter, namespace or partition, a missing name or
	 * port.
	 * @param upstream one element of {@code Proxy.Upstreams}
	 * @return the upstream
	 * @throws IllegalArgumentException when the proxy cannot serve it
	 */
	public static UpstreamConfig from(Map<String, ?> upstream) {
		String name = text(upstream, "DestinationName");
		if (name.isEmpty()) {
			throw new IllegalArgumentException("Upstream " + upstream + " has no DestinationName: name the service called");
		}
		String type = text(upstream, "DestinationType");
		if (!type.isEmpty() && !type.equals("service")) {
			throw new IllegalArgumentException("Upstream '" + name + "' DestinationType '" + type
					+ "' is not supported: only 'service' is (prepared queries are not yet)");
		}
		refuseSet(upstream, name, "LocalBindSocketPath", "Unix sockets are not supported: use LocalBindPort");
		refuseSet(upstream, name, "Datacenter", "only the local agent's datacenter is supported");
		refuseOther(upstream, name, "DestinationNamespace");
		refuseOther(upstream, name, "DestinationPartition");
		String address = text(upstream, "LocalBindAddress");
		Object port = upstream.get("LocalBindPort");
		if (port == null) {
			throw new IllegalArgumentException("Upstream '" + name + "' has no LocalBindPort: give a port between 1 and "
					+ "65535 (Unix sockets are not supported)");
		}
		if (!(port instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())) {
			throw new IllegalArgumentException("Upstream '" + name + "' LocalBindPort '" + port
					+ "' must be a port number between 1 and 65535");
		}
		Object config = upstream.get("Config");
		Map<?, ?> settings = (config instanceof Map<?, ?> map) ? map : Map.of();
		return new UpstreamConfig(name, address.isEmpty() ? "127.0.0.1" : address, number.intValue(),
				millis(settings, "connect_timeout_ms", Duration.ofSeconds(10)),
				millis(settings, "idle_timeout_ms", IDLE_TIMEOUT));
	}

	/**
	 * Reads a duration in milliseconds from a proxy's opaque {@code Config}, as Consul's proxy does: the agent's JSON
	 * numbers may arrive as {@code 1000}, {@code 1000.0} or {@code "1000"}.
	 * @param config the configuration, or {@code null}
	 * @param key the key
	 * @param fallback the value when the key is absent
	 * @return the duration
	 * @throws IllegalArgumentException when the value is not a whole, non-negative number of milliseconds
	 */
	public static Duration millis(@Nullable Map<?, ?> config, String key, Duration fallback) {
		Object value = (config != null) ? config.get(key) : null;
		if (value == null) {
			return fallback;
		}
		double millis;
		try {
			millis = (value instanceof Number number) ? number.doubleValue() : Double.parseDouble(value.toString().trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(String.format(NUMBER_MESSAGE, key, value), ex);
		}
		if (millis < 0 || millis != Math.rint(millis) || millis > Integer.MAX_VALUE) {
			throw new IllegalArgumentException(String.format(NUMBER_MESSAGE, key, value));
		}
		return Duration.ofMillis((long) millis);
	}

	private static String text(Map<String, ?> map, String key) {
		Object value = map.get(key);
		return (value != null) ? value.toString().trim() : "";
	}

	private static void refuseSet(Map<String, ?> upstream, String name, String key, String allowed) {
		String value = text(upstream, key);
		if (!value.isEmpty()) {
			throw new IllegalArgumentException(
					"Upstream '" + name + "' " + key + " '" + value + "' is not supported: " + allowed);
		}
	}

	private static void refuseOther(Map<String, ?> upstream, String name, String key) {
		String value = text(upstream, key);
		if (!value.isEmpty() && !value.equals("default")) {
			throw new IllegalArgumentException(
					"Upstream '" + name + "' " + key + " '" + value + "' is not supported: only 'default' is");
		}
	}

}
