package dev.connect.proxy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.connect.api.AgentService;
import dev.connect.api.ConnectProxyConfig;
import dev.connect.proxy.upstream.UpstreamConfig;
import org.jspecify.annotations.Nullable;

/**
 * What the proxy serves, read from its {@code connect-proxy} registration (Consul's
 * {@code GET /v1/agent/service/<proxy-id>}), with Consul's defaults.
 *
 * @param proxyId the proxy's instance ID
 * @param destination the service it fronts, whose identity it presents
 * @param publicAddress where the public listener binds ({@code Address}, empty = {@code 0.0.0.0}; {@code Port})
 * @param local the local app ({@code Proxy.LocalServiceAddress}, default {@code 127.0.0.1}, and
 * {@code Proxy.LocalServicePort})
 * @param handshakeTimeout {@code Proxy.Config.handshake_timeout_ms}, 10 seconds by default
 * @param localConnectTimeout {@code Proxy.Config.local_connect_timeout_ms}, 1 second by default
 * @param localIdleTimeout {@code Proxy.Config.local_idle_timeout_ms}: how long an inbound connection may carry no
 * byte either way, 1 hour by default, 0 for no limit
 * @param maxInboundConnections {@code Proxy.Config.max_inbound_connections}: open inbound connections at most,
 * handshakes included; 0 (the default) for no limit
 * @param upstreams {@code Proxy.Upstreams}
 * @param contentHash the registration's content hash, for hash-based blocking
 */
record ProxyRegistration(String proxyId, String destination, InetSocketAddress publicAddress,
		InetSocketAddress local, Duration handshakeTimeout, Duration localConnectTimeout, Duration localIdleTimeout,
		int maxInboundConnections, List<UpstreamConfig> upstreams, String contentHash) {

	static final String COUNT = "%s '%s' must be a whole number from 0 (no limit) to 2147483647, for example 1000, "
			+ "1000.0 or \"1000\"";

	static final String NOT_A_PROXY = "Service '%s' is not a sidecar proxy: its Kind is %s, and only 'connect-proxy' "
			+ "registrations can be served";

	static final String NO_DESTINATION = "Proxy service '%s' has no Proxy.DestinationServiceName: name the service "
			+ "it fronts";

	static final String UPSTREAM_FLAG = "Upstream '%s' must be name[.service]:[host:]port, for example db:9191";

	static final String PORT = "Proxy service '%s' %s '%d' must be a port between 1 and 65535";

	static ProxyRegistration from(AgentService service) {
		if (!"connect-proxy".equals(service.kind())) {
			throw new IllegalArgumentException(String.format(NOT_A_PROXY, service.id(),
					(service.kind() == null || service.kind().isEmpty()) ? "empty" : "'" + service.kind() + "'"));
		}
		ConnectProxyConfig proxy = service.proxy();
		String destination = (proxy != null) ? proxy.destinationServiceName() : null;
		if (proxy == null || destination == null || destination.isBlank()) {
			throw new IllegalArgumentException(String.format(NO_DESTINATION, service.id()));
		}
		port(service.id(), "Port", service.port());
		port(service.id(), "Proxy.LocalServicePort", proxy.localServicePort());
		Map<String, Object> config = proxy.config();
		List<UpstreamConfig> upstreams = new ArrayList<>();
		if (proxy.upstreams() != null) {
			proxy.upstreams().forEach((upstream) -> upstreams.add(UpstreamConfig.from(upstream)));
		}
		String hash = service.contentHash();
		return new ProxyRegistration(service.id(), destination,
				new InetSocketAddress(orDefault(service.address(), "0.0.0.0"), service.port()),
				new InetSocketAddress(orDefault(proxy.localServiceAddress(), "127.0.0.1"), proxy.localServicePort()),
				UpstreamConfig.millis(config, "handshake_timeout_ms", Duration.ofSeconds(10)),
				UpstreamConfig.millis(config, "local_connect_timeout_ms", Duration.ofSeconds(1)),
				UpstreamConfig.millis(config, "local_idle_timeout_ms", UpstreamConfig.IDLE_TIMEOUT),
				count(config, "max_inbound_connections"), List.copyOf(upstreams), (hash != null) ? hash : "");
	}

	/**
	 * The registration a static proxy serves, from its flags: Consul's {@code -service}, {@code -service-addr},
	 * {@code -listen} and {@code -upstream name[.service]:[host:]port}. Without {@code -listen} it has no public
	 * listener ({@link #publicAddress()} is port 0 and unused).
	 */
	static ProxyRegistration ofFlags(String service, @Nullable String serviceAddress, @Nullable String listen,
			List<String> upstreams) {
		List<UpstreamConfig> configs = new ArrayList<>();
		for (String upstream : upstreams) {
			configs.add(upstreamFlag(upstream));
		}
		InetSocketAddress app = (serviceAddress != null) ? hostPort("-service-addr", serviceAddress, "127.0.0.1")
				: new InetSocketAddress("127.0.0.1", 0);
		InetSocketAddress bind = (listen != null) ? hostPort("-listen", listen, "0.0.0.0") : new InetSocketAddress("0.0.0.0", 0);
		return new ProxyRegistration("", service, bind, app, Duration.ofSeconds(10), Duration.ofSeconds(1),
				UpstreamConfig.IDLE_TIMEOUT, 0, List.copyOf(configs), "");
	}

	private static UpstreamConfig upstreamFlag(String flag) {
		int colon = flag.indexOf(':');
		if (colon <= 0) {
			throw new IllegalArgumentException(String.format(UPSTREAM_FLAG, flag));
		}
		String name = flag.substring(0, colon);
		if (name.endsWith(".query")) {
			throw new IllegalArgumentException("Upstream '" + flag + "' is a prepared query: only services are "
					+ "supported (name or name.service)");
		}
		name = name.endsWith(".service") ? name.substring(0, name.length() - ".service".length()) : name;
		InetSocketAddress bind = hostPort("-upstream", flag.substring(colon + 1), "127.0.0.1");
		if (name.isEmpty() || bind.getPort() == 0) {
			throw new IllegalArgumentException(String.format(UPSTREAM_FLAG, flag));
		}
		return new UpstreamConfig(name, bind.getHostString(), bind.getPort(), Duration.ofSeconds(10),
				UpstreamConfig.IDLE_TIMEOUT);
	}

	private static InetSocketAddress hostPort(String flag, String value, @Nullable String defaultHost) {
		int colon = value.lastIndexOf(':');
		String host = (colon >= 0) ? value.substring(0, colon) : "";
		if (host.isEmpty()) {
			host = defaultHost;
		}
		try {
			int port = Integer.parseInt(value.substring(colon + 1));
			if (host == null || port < 1 || port > 65535) {
				throw new NumberFormatException();
			}
			return new InetSocketAddress(host, port);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Flag " + flag + " '" + value + "' must be host:port with a port between "
					+ "1 and 65535" + ((defaultHost != null) ? " (the host may be left out: " + defaultHost + ")" : ""));
		}
	}

	/** A count from the opaque {@code Config}: like the durations, {@code 1000}, {@code 1000.0} or {@code "1000"}. */
	private static int count(@Nullable Map<String, Object> config, String key) {
		Object value = (config != null) ? config.get(key) : null;
		if (value == null) {
			return 0;
		}
		double count;
		try {
			count = (value instanceof Number number) ? number.doubleValue() : Double.parseDouble(value.toString().trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(String.format(COUNT, key, value), ex);
		}
		if (count < 0 || count != Math.rint(count) || count > Integer.MAX_VALUE) {
			throw new IllegalArgumentException(String.format(COUNT, key, value));
		}
		return (int) count;
	}

	private static void port(String id, String field, int port) {
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException(String.format(PORT, id, field, port));
		}
	}

	private static String orDefault(@Nullable String value, String fallback) {
		return (value == null || value.isBlank()) ? fallback : value.trim();
	}

}
