package dev.connect.agent.catalog;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Consul's service maintenance check: critical, ID {@value #PREFIX}{@code <instance ID>}, the reason as its notes.
 */
final class Maintenance {

	static final String PREFIX = "_service_maintenance:";

	static final String DEFAULT_REASON = "Maintenance mode is enabled for this service, "
			+ "but no reason was provided. This is a default message.";

	private Maintenance() {
	}

	static CheckState check(ServiceInstance instance, String reason, Instant now) {
		return new CheckState(PREFIX + instance.id(), "Service Maintenance Mode",
				reason.isEmpty() ? DEFAULT_REASON : reason, instance.id(), instance.name(), "maintenance", "",
				CheckState.CRITICAL, "", null, null, Duration.ofSeconds(10), null, null, now, 0, 0, false, "GET",
				Map.of(), "", "");
	}

	/** The instances in maintenance mode with their reasons (the checks' notes), by instance ID. */
	static Map<String, String> reasons(Collection<CheckState> checks) {
		Map<String, String> reasons = new TreeMap<>();
		checks.stream()
			.filter((check) -> check.checkId().startsWith(PREFIX))
			.forEach((check) -> reasons.put(check.serviceId(), check.notes()));
		return reasons;
	}

}
