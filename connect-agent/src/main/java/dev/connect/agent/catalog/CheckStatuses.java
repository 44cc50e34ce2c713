package dev.connect.agent.catalog;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The rules of the check-status state machine: when a result changes a check, when a TTL check expires, what an
 * alias check mirrors and when an instance that stays critical is removed.
 */
final class CheckStatuses {

	private CheckStatuses() {
	}

	/** A probe that repeats the last result changes nothing; every TTL update restarts the TTL. */
	static boolean changes(CheckState check, String status, String output) {
		return !check.status().equals(status) || !check.output().equals(output) || check.isTtl();
	}

	static boolean ttlExpired(@Nullable CheckState check, Instant now) {
		return check != null && check.isTtl() && check.ttlDeadline() != null && now.isAfter(check.ttlDeadline())
				&& !CheckState.CRITICAL.equals(check.status());
	}

	/** Whether the check stayed critical longer than its {@code DeregisterCriticalServiceAfter}. */
	static boolean deregisterDue(CheckState check, Instant now) {
		return check.deregisterAfter() != null && check.criticalSince() != null
				&& !now.isBefore(check.criticalSince().plus(check.deregisterAfter()));
	}

	/**
	 * An alias check mirrors the worst status of the instance it names (critical when that is gone); the aliases
	 * this changes get the given index.
	 */
	static Map<String, CheckState> refreshAliases(Map<String, CheckState> checks,
			Map<String, ServiceInstance> services, long index, Instant now) {
		Map<String, CheckState> result = new LinkedHashMap<>(checks);
		for (CheckState check : checks.values()) {
			if (!check.isAlias()) {
				continue;
			}
			String status = services.containsKey(check.target()) ? worst(checks.values(), check.target())
					: CheckState.CRITICAL;
			String output = services.containsKey(check.target()) ? "All checks passing." : "Service not found";
			if (!status.equals(CheckState.PASSING)) {
				output = "Aliased service has checks that are not passing";
			}
			if (!status.equals(check.status()) || !output.equals(check.output())) {
				result.put(check.checkId(), check.recorded(status, output, now, index));
			}
		}
		return Map.copyOf(result);
	}

	private static String worst(Collection<CheckState> checks, String serviceId) {
		String worst = CheckState.PASSING;
		for (CheckState check : checks) {
			if (check.serviceId().equals(serviceId) && !check.isAlias()) {
				if (CheckState.CRITICAL.equals(check.status())) {
					return CheckState.CRITICAL;
				}
				if (CheckState.WARNING.equals(check.status())) {
					worst = CheckState.WARNING;
				}
			}
		}
		return worst;
	}

}
