package dev.connect.agent.intentions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.connect.api.Intention;
import org.jspecify.annotations.Nullable;

/**
 * Consul's intention rules: validation with Consul's messages, precedence, evaluation order and matching.
 */
final class IntentionRules {

	static final String WILDCARD = "*";

	static final String DEFAULT_NS = "default";

	static final String PARTITIONS_ARE_ENTERPRISE = "Partitions is a Consul Enterprise feature";

	static final String NAMESPACES_ARE_ENTERPRISE = "Namespaces is a Consul Enterprise feature";

	static final int MAX_DESCRIPTION = 512;

	static final int MAX_META_PAIRS = 64;

	static final int MAX_META_KEY = 128;

	static final int MAX_META_VALUE = 512;

	/** Precedence descending, then (SourceNS, SourceName, DestinationNS, DestinationName): deterministic. */
	static final Comparator<Intention> EVALUATION_ORDER = Comparator.comparingInt(Intention::precedence)
		.reversed()
		.thenComparing(Intention::sourceNs)
		.thenComparing(Intention::sourceName)
		.thenComparing(Intention::destinationNs)
		.thenComparing(Intention::destinationName);

	private IntentionRules() {
	}

	/**
	 * Refuses a request scoped to another partition, namespace or peer, with Consul CE's texts, so that it is never
	 * stored as the local name it also carries.
	 */
	static List<String> validateScope(Intention request) {
		List<String> errors = new ArrayList<>();
		if (!isDefault(request.sourcePartition())) {
			errors.add("Invalid source partition \"" + request.sourcePartition() + "\": " + PARTITIONS_ARE_ENTERPRISE);
		}
		if (!isDefault(request.sourceNs())) {
			errors.add("Invalid source namespace \"" + request.sourceNs() + "\": " + NAMESPACES_ARE_ENTERPRISE);
		}
		if (!isDefault(request.destinationPartition())) {
			errors.add("Invalid destination partition \"" + request.destinationPartition() + "\": "
					+ PARTITIONS_ARE_ENTERPRISE);
		}
		if (!isDefault(request.destinationNs())) {
			errors.add("Invalid destination namespace \"" + request.destinationNs() + "\": " + NAMESPACES_ARE_ENTERPRISE);
		}
		if (request.sourcePeer() != null && !request.sourcePeer().isEmpty()) {
			errors.add("SourcePeer field is not supported on this endpoint. Use config entries instead");
		}
		return errors;
	}

	/** Empty (implied) or {@code default} in any case, as Consul CE compares partitions and namespaces. */
	static boolean isDefault(@Nullable String scope) {
		return scope == null || scope.isEmpty() || scope.toLowerCase(Locale.ROOT).equals(DEFAULT_NS);
	}

	static List<String> validate(Intention intention) {
		List<String> errors = new ArrayList<>();
		checkName("SourceName", intention.sourceName(), errors);
		checkName("DestinationName", intention.destinationName(), errors);
		String description = (intention.description() != null) ? intention.description() : "";
		if (description.length() > MAX_DESCRIPTION) {
			errors.add("Description exceeds maximum length " + MAX_DESCRIPTION);
		}
		checkMeta(intention.meta(), errors);
		boolean l7 = intention.permissions() != null && !intention.permissions().isEmpty();
		String action = (intention.action() != null) ? intention.action() : "";
		if (l7) {
			if (!action.isEmpty()) {
				errors.add("Action must not be set if Permissions are specified");
			}
			if (WILDCARD.equals(intention.destinationName())) {
				errors.add("Permissions cannot be specified for a wildcard destination");
			}
		}
		else if (!action.equals("allow") && !action.equals("deny")) {
			errors.add("Action must be set to 'allow' or 'deny'");
		}
		if (!"consul".equals(intention.sourceType())) {
			errors.add("SourceType must be set to 'consul'");
		}
		return errors;
	}

	private static void checkName(String field, @Nullable String name, List<String> errors) {
		if (name == null || name.isEmpty()) {
			errors.add(field + " must be set");
		}
		else if (!WILDCARD.equals(name) && name.contains(WILDCARD)) {
			errors.add(field + ": wildcard character '*' cannot be used with partial values");
		}
	}

	private static void checkMeta(@Nullable Map<String, String> meta, List<String> errors) {
		if (meta == null) {
			return;
		}
		if (meta.size() > MAX_META_PAIRS) {
			errors.add("Meta exceeds maximum element count " + MAX_META_PAIRS);
		}
		meta.forEach((key, value) -> {
			if (key.length() > MAX_META_KEY) {
				errors.add("Meta key \"" + key + "\" exceeds maximum length " + MAX_META_KEY);
			}
			if (value != null && value.length() > MAX_META_VALUE) {
				errors.add("Meta value for key \"" + key + "\" exceeds maximum length " + MAX_META_VALUE);
			}
		});
	}

	/** Consul's precedence; in CE only 9, 8, 6 and 5 occur. */
	static int precedence(String sourceName, String destinationName) {
		int max = WILDCARD.equals(destinationName) ? 6 : 9;
		int sourceExact = WILDCARD.equals(sourceName) ? 1 : 2;
		return max - (2 - sourceExact);
	}

	/** A stored intention always has both names ({@link #validate}); a missing pattern matches nothing. */
	static boolean matches(@Nullable String pattern, String name) {
		return WILDCARD.equals(pattern) || name.equals(pattern);
	}

	static boolean isL7(Intention intention) {
		return intention.permissions() != null && !intention.permissions().isEmpty();
	}

	/** Consul's {@code Intention.String()}: {@code ALLOW default/web => default/db (ID: , Precedence: 9)}. */
	static String describe(Intention intention) {
		String action = isL7(intention) ? "L7"
				: ((intention.action() != null) ? intention.action() : "").toUpperCase(Locale.ROOT);
		return action + " " + intention.sourceNs() + "/" + intention.sourceName() + " => " + intention.destinationNs()
				+ "/" + intention.destinationName() + " (ID: " + ((intention.id() != null) ? intention.id() : "")
				+ ", Precedence: " + intention.precedence() + ")";
	}

	/**
	 * Refuses a request for another partition, namespace or peer before anything else: the candidate carries only
	 * the local name, so a scope the agent does not serve must never get as far as being stored.
	 */
	static void requireValid(Intention request, Intention candidate) {
		List<String> errors = new ArrayList<>(validateScope(request));
		errors.addAll(validate(candidate));
		if (!errors.isEmpty()) {
			throw new InvalidIntentionException(errors);
		}
	}

	/**
	 * The request as it would be stored. Names of the legacy API come from the body and may be missing: the
	 * candidate then carries none and {@link #requireValid} refuses it.
	 */
	static Intention normalized(Intention request, @Nullable String id, @Nullable String source,
			@Nullable String destination, @Nullable Instant createdAt, @Nullable Instant updatedAt) {
		String sourceType = (request.sourceType() == null || request.sourceType().isEmpty()) ? "consul"
				: request.sourceType();
		String sourceNs = emptyToDefault(request.sourceNs());
		String destinationNs = emptyToDefault(request.destinationNs());
		int precedence = (source != null && destination != null) ? precedence(source, destination) : 0;
		return request.withId(id)
			.withDescription((request.description() != null) ? request.description() : "")
			.withSource(sourceNs, source)
			.withDestination(destinationNs, destination)
			.withScope(null, null, null)
			.withSourceType(sourceType)
			.withPrecedence(precedence)
			.withTimestamps(createdAt, updatedAt)
			.withIndexes(0, 0);
	}

	private static String emptyToDefault(@Nullable String namespace) {
		return (namespace == null || isDefault(namespace)) ? DEFAULT_NS : namespace;
	}

}
