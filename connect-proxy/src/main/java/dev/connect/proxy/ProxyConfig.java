package dev.connect.proxy;

import java.util.Objects;

import dev.connect.client.AgentClientSettings;
import org.jspecify.annotations.Nullable;

/**
 * How the proxy was asked to run, from its command line and environment.
 *
 * @param agent where the agent is and how to talk to it (address, token, CA file)
 * @param proxyId the registered proxy to run as ({@code -proxy-id}), or {@code null} when {@code sidecarFor} is set
 * @param sidecarFor the service whose only sidecar to run as ({@code -sidecar-for}), or {@code null} when
 * {@code proxyId} is set
 * @param logLevel {@code trace}, {@code debug}, {@code info} (the default), {@code warn} or {@code error}
 */
public record ProxyConfig(AgentClientSettings agent, @Nullable String proxyId, @Nullable String sidecarFor,
		String logLevel) {

	static final String ONE_OF = "Exactly one of -proxy-id and -sidecar-for must be given, not %s";

	public ProxyConfig {
		Objects.requireNonNull(agent, "'agent' must not be null");
		Objects.requireNonNull(logLevel, "'logLevel' must not be null");
		if ((proxyId == null) == (sidecarFor == null)) {
			throw new IllegalArgumentException(String.format(ONE_OF, (proxyId == null) ? "neither" : "both"));
		}
	}

}
