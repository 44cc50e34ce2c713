package dev.connect.proxy;

import java.util.List;
import java.util.Objects;

import dev.connect.client.AgentClientSettings;
import org.jspecify.annotations.Nullable;

/**
 * How the proxy was asked to run, from its command line and environment: as a registered proxy ({@code -proxy-id}
 * or {@code -sidecar-for}), or in static mode from flags alone ({@code -service}).
 *
 * @param agent where the agent is and how to talk to it (address, token, CA file)
 * @param proxyId the registered proxy to run as ({@code -proxy-id}), or {@code null}
 * @param sidecarFor the service whose only sidecar to run as ({@code -sidecar-for}), or {@code null}
 * @param service static mode: the service the proxy represents ({@code -service}), or {@code null}
 * @param serviceAddress static mode: the local app, {@code host:port} ({@code -service-addr}), or {@code null}
 * @param listen static mode: the public listener, {@code host:port} ({@code -listen}), or {@code null} for none
 * @param upstreams static mode: {@code name[.service]:[host:]port} per upstream ({@code -upstream}, repeatable)
 * @param register static mode: whether the proxy registers itself with the agent and heartbeats a TTL check
 * ({@code -register}, needs {@code -service} and {@code -listen})
 * @param registerId the suffix of the self-registered ID, {@code <service>-proxy-<suffix>} ({@code -register-id}),
 * or {@code null} for {@code <service>-proxy}
 * @param datacenter the datacenter the proxy is meant for ({@code -datacenter}); it must be the agent's, or
 * {@code null} for the agent's
 * @param adminAddress the loopback {@code host:port} serving {@code /metrics} and {@code /ready}
 * ({@code -admin-addr}), or {@code null} for none
 * @param logLevel {@code trace}, {@code debug}, {@code info} (the default), {@code warn} or {@code error}
 * @param logJson whether log lines are JSON objects ({@code -log-json})
 * @param tlsProvider {@code jdk} (the default) or {@code boringssl} ({@code -tls-provider})
 */
public record ProxyConfig(AgentClientSettings agent, @Nullable String proxyId, @Nullable String sidecarFor,
		@Nullable String service, @Nullable String serviceAddress, @Nullable String listen, List<String> upstreams,
		boolean register, @Nullable String registerId, @Nullable String datacenter, @Nullable String adminAddress,
		String logLevel, boolean logJson, String tlsProvider) {

	static final String ONE_OF = "Exactly one of -proxy-id, -sidecar-for and -service must be given, not %s";

	static final String STATIC_ONLY = "Flags -service-addr, -listen and -upstream belong to the static mode: give "
			+ "-service too";

	static final String LISTEN_NEEDS_APP = "Flag -listen needs -service-addr: the local app the public listener "
			+ "forwards to";

	static final String REGISTER_NEEDS_LISTEN = "Flag -register may only be specified with -service and -listen: a "
			+ "registered proxy (-sidecar-for, -proxy-id) is registered by its application's Connect.SidecarService";

	static final String REGISTER_ID_NEEDS_REGISTER = "Flag -register-id '%s' needs -register: it is the suffix of the "
			+ "ID the proxy registers itself with";

	public ProxyConfig {
		Objects.requireNonNull(agent, "'agent' must not be null");
		Objects.requireNonNull(logLevel, "'logLevel' must not be null");
		Objects.requireNonNull(tlsProvider, "'tlsProvider' must not be null");
		upstreams = List.copyOf(upstreams);
		long modes = java.util.stream.Stream.of(proxyId, sidecarFor, service).filter(Objects::nonNull).count();
		if (modes != 1) {
			throw new IllegalArgumentException(String.format(ONE_OF, (modes == 0) ? "none" : modes + " of them"));
		}
		if (service == null && (serviceAddress != null || listen != null || !upstreams.isEmpty())) {
			throw new IllegalArgumentException(STATIC_ONLY);
		}
		if (listen != null && serviceAddress == null) {
			throw new IllegalArgumentException(LISTEN_NEEDS_APP);
		}
		if (register && (service == null || listen == null)) {
			throw new IllegalArgumentException(REGISTER_NEEDS_LISTEN);
		}
		if (registerId != null && !register) {
			throw new IllegalArgumentException(String.format(REGISTER_ID_NEEDS_REGISTER, registerId));
		}
	}

}
