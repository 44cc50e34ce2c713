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
 * @param logLevel {@code trace}, {@code debug}, {@code info} (the default), {@code warn} or {@code error}
 */
public record ProxyConfig(AgentClientSettings agent, @Nullable String proxyId, @Nullable String sidecarFor,
		@Nullable String service, @Nullable String serviceAddress, @Nullable String listen, List<String> upstreams,
		String logLevel) {

	static final String ONE_OF = "Exactly one of -proxy-id, -sidecar-for and -service must be given, not %s";

	static final String STATIC_ONLY = "Flags -service-addr, -listen and -upstream belong to the static mode: give "
			+ "-service too";

	static final String LISTEN_NEEDS_APP = "Flag -listen needs -service-addr: the local app the public listener "
			+ "forwards to";

	public ProxyConfig {
		Objects.requireNonNull(agent, "'agent' must not be null");
		Objects.requireNonNull(logLevel, "'logLevel' must not be null");
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
	}

}
