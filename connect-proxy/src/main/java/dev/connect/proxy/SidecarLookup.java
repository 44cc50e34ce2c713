package dev.connect.proxy;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.connect.api.AgentService;
import dev.connect.client.AgentClient;

/**
 * {@code -sidecar-for}: finds the one {@code connect-proxy} registered with the local agent whose
 * {@code Proxy.DestinationServiceID} is the given service ID (compared case-insensitively, as Consul does).
 */
final class SidecarLookup {

	static final String NONE = "No sidecar proxy registered for %s";

	static final String MANY = "More than one sidecar proxy registered for %s.\n"
			+ "    Start proxy with -proxy-id and one of the following IDs: %s";

	private SidecarLookup() {
	}

	static String proxyIdFor(AgentClient client, String serviceId, Duration timeout) {
		Map<String, AgentService> services = client.services().block(timeout);
		List<String> ids = (services == null) ? List.of() : services.values()
			.stream()
			.filter((service) -> "connect-proxy".equals(service.kind()) && service.proxy() != null
					&& serviceId.toLowerCase(Locale.ROOT)
						.equals(String.valueOf(service.proxy().destinationServiceId()).toLowerCase(Locale.ROOT)))
			.map(AgentService::id)
			.sorted()
			.toList();
		if (ids.isEmpty()) {
			throw new IllegalArgumentException(String.format(NONE, serviceId));
		}
		if (ids.size() > 1) {
			throw new IllegalArgumentException(String.format(MANY, serviceId, String.join(", ", ids)));
		}
		return ids.get(0);
	}

}
