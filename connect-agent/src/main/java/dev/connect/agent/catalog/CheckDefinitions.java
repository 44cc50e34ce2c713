package dev.connect.agent.catalog;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;

import dev.connect.api.CheckDefinition;
import dev.connect.api.GoDuration;
import dev.connect.api.ServiceRegistration;
import org.jspecify.annotations.Nullable;

/**
 * Turns the check definitions of a registration body into checks, with Consul's validation: IDs default to
 * {@code service:<id>} (or {@code service:<id>:<n>} for several), names to {@code Service '<name>' check}, the
 * initial status to critical; exactly one of TTL, HTTP, TCP or AliasService is set, and HTTP and TCP checks have an
 * interval.
 */
final class CheckDefinitions {

	private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	/** Consul raises a shorter {@code DeregisterCriticalServiceAfter} to this minimum. */
	private static final Duration MIN_DEREGISTER_AFTER = Duration.ofMinutes(1);

	private CheckDefinitions() {
	}

	static List<CheckState> checks(ServiceRegistration registration, ServiceInstance service, Instant now) {
		List<CheckDefinition> definitions = new ArrayList<>();
		if (registration.check() != null) {
			definitions.add(registration.check());
		}
		if (registration.checks() != null) {
			definitions.addAll(registration.checks());
		}
		List<CheckState> checks = new ArrayList<>();
		for (int i = 0; i < definitions.size(); i++) {
			String defaultId = (definitions.size() == 1) ? "service:" + service.id()
					: "service:" + service.id() + ":" + (i + 1);
			checks.add(check(definitions.get(i), defaultId, service, now));
		}
		return checks;
	}

	static CheckState check(CheckDefinition definition, String defaultId, ServiceInstance service, Instant now) {
		String status = status(definition);
		Probe probe = probe(definition);
		Duration ttl = duration(definition.ttl(), "TTL");
		Duration interval = interval(definition, probe.type());
		Duration givenTimeout = duration(definition.timeout(), "Timeout");
		Duration timeout = (givenTimeout != null) ? givenTimeout : DEFAULT_TIMEOUT;
		Duration deregisterAfter = deregisterAfter(definition);
		return new CheckState(orDefault(definition.checkId(), defaultId),
				orDefault(definition.name(), "Service '" + service.name() + "' check"),
				(definition.notes() != null) ? definition.notes() : "", service.id(), service.name(), probe.type(),
				probe.target(), status, "", ttl, interval, timeout, deregisterAfter,
				(ttl != null) ? now.plus(ttl) : null, status.equals(CheckState.CRITICAL) ? now : null, 0, 0,
				definition.tlsSkipVerify(), orDefault(definition.method(), "GET").toUpperCase(java.util.Locale.ROOT),
				(definition.header() != null) ? Map.copyOf(definition.header()) : Map.of(),
				orDefault(definition.body(), ""), orDefault(definition.tlsServerName(), ""));
	}

	private static String status(CheckDefinition definition) {
		String status = orDefault(definition.status(), CheckState.CRITICAL);
		if (!status.equals(CheckState.PASSING) && !status.equals(CheckState.WARNING)
				&& !status.equals(CheckState.CRITICAL)) {
			throw invalid("Status for checks must 'passing', 'warning', 'critical'");
		}
		return status;
	}

	private static Probe probe(CheckDefinition definition) {
		if (present(definition.ttl())) {
			return new Probe("ttl", "");
		}
		String http = orDefault(definition.http(), "");
		if (!http.isEmpty()) {
			return new Probe("http", http);
		}
		String tcp = orDefault(definition.tcp(), "");
		if (!tcp.isEmpty()) {
			return new Probe("tcp", tcp);
		}
		String alias = orDefault(definition.aliasService(), "");
		if (!alias.isEmpty()) {
			return new Probe("alias", alias);
		}
		throw invalid("Invalid check: one of TTL, HTTP, TCP or AliasService must be set; the dev agent runs no "
				+ "other check types");
	}

	private static @Nullable Duration interval(CheckDefinition definition, String type) {
		Duration interval = duration(definition.interval(), "Interval");
		if ((type.equals("http") || type.equals("tcp")) && (interval == null || interval.isZero())) {
			throw invalid("Invalid check: Interval must be set for " + type.toUpperCase(Locale.ROOT) + " checks");
		}
		return interval;
	}

	private static @Nullable Duration deregisterAfter(CheckDefinition definition) {
		Duration deregister = duration(definition.deregisterCriticalServiceAfter(), "DeregisterCriticalServiceAfter");
		if (deregister != null && deregister.compareTo(MIN_DEREGISTER_AFTER) < 0) {
			return MIN_DEREGISTER_AFTER;
		}
		return deregister;
	}

	private static @Nullable Duration duration(@Nullable String text, String field) {
		if (text == null || text.isEmpty()) {
			return null;
		}
		try {
			return GoDuration.parse(text);
		}
		catch (IllegalArgumentException ex) {
			throw invalid("Invalid check: " + field + ": " + ex.getMessage());
		}
	}

	private static boolean present(@Nullable String value) {
		return value != null && !value.isEmpty();
	}

	private static String orDefault(@Nullable String value, String fallback) {
		return (value != null && !value.isEmpty()) ? value : fallback;
	}

	private static InvalidRegistrationException invalid(String message) {
		return new InvalidRegistrationException(message);
	}

	/**
	 * What a check runs.
	 * @param type {@code ttl}, {@code http}, {@code tcp} or {@code alias}
	 * @param target the URL, {@code host:port} or aliased instance; empty for a TTL check
	 */
	private record Probe(String type, String target) {
	}

}
