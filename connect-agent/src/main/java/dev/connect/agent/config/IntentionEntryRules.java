package dev.connect.agent.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Consul's normalization and validation of a {@code service-intentions} entry
 * ({@code ServiceIntentionsConfigEntry.normalize} and {@code validate}), with its messages: the first broken rule is
 * the answer.
 */
final class IntentionEntryRules {

	static final String WILDCARD = "*";

	private IntentionEntryRules() {
	}

	/**
	 * Defaults each source's type, computes its precedence, upper-cases methods and orders sources by precedence.
	 * A write through {@code /v1/config} drops the legacy ID and timestamps, as Consul's does.
	 */
	@SuppressWarnings("unchecked")
	static Map<String, Object> normalize(String name, Map<String, Object> values, boolean legacyWrite) {
		Map<String, Object> out = new LinkedHashMap<>(values);
		List<Map<String, Object>> sources = new ArrayList<>();
		for (Object item : (List<Object>) values.getOrDefault("Sources", List.of())) {
			Map<String, Object> source = new LinkedHashMap<>((Map<String, Object>) item);
			if (PermissionRules.text(source, "Type").isEmpty()) {
				source.put("Type", "consul");
			}
			source.put("Precedence", (long) precedence(PermissionRules.text(source, "Name"), name));
			if (!legacyWrite) {
				source.remove("LegacyID");
				source.remove("LegacyCreateTime");
				source.remove("LegacyUpdateTime");
			}
			source.computeIfPresent("Permissions", (key, permissions) -> upperCaseMethods((List<Object>) permissions));
			sources.add(source);
		}
		sources.sort(Comparator.comparingLong((Map<String, Object> s) -> (Long) s.get("Precedence")).reversed());
		if (values.containsKey("Sources")) {
			out.put("Sources", List.copyOf(sources));
		}
		return out;
	}

	@SuppressWarnings("unchecked")
	private static List<Object> upperCaseMethods(List<Object> permissions) {
		List<Object> out = new ArrayList<>();
		for (Object item : permissions) {
			Map<String, Object> permission = new LinkedHashMap<>((Map<String, Object>) item);
			if (permission.get("HTTP") instanceof Map<?, ?> http && http.get("Methods") instanceof List<?> methods) {
				Map<String, Object> rules = new LinkedHashMap<>((Map<String, Object>) http);
				rules.put("Methods", methods.stream().map((m) -> String.valueOf(m).toUpperCase(Locale.ROOT)).toList());
				permission.put("HTTP", rules);
			}
			out.add(permission);
		}
		return out;
	}

	/** Consul's precedence in CE, where every namespace is {@code default}: 9, 8, 6 or 5. */
	static int precedence(String source, String destination) {
		int max = WILDCARD.equals(destination) ? 6 : 9;
		return max - (WILDCARD.equals(source) ? 1 : 0);
	}

	/**
	 * Checks a normalized entry.
	 * @param legacyAllowed whether sources may carry legacy fields (writes through the intentions API)
	 */
	static void validate(String name, Map<String, Object> values, List<Map<String, Object>> sources,
			boolean legacyAllowed) {
		if (name.isEmpty()) {
			throw InvalidConfigEntryException.invalid("Name is required");
		}
		wildcards(name, "");
		if (values.containsKey("JWT")) {
			throw InvalidConfigEntryException.invalid("JWT: " + PermissionRules.JWT_REFUSED);
		}
		EntryRules.checkMeta(values);
		if (sources.isEmpty()) {
			throw InvalidConfigEntryException.invalid("At least one source is required");
		}
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < sources.size(); i++) {
			Map<String, Object> source = sources.get(i);
			checkSource(i, source, name, legacyAllowed);
			String peer = PermissionRules.text(source, "Peer");
			String sourceName = PermissionRules.text(source, "Name");
			if (!seen.add(peer + "\u0000" + sourceName)) {
				throw InvalidConfigEntryException.invalid(peer.isEmpty()
						? String.format("Sources[%d] defines \"%s\" more than once", i, sourceName)
						: String.format("Sources[%d] defines peer(\"%s\") \"%s\" more than once", i, peer, sourceName));
			}
		}
	}

	@SuppressWarnings("unchecked")
	private static void checkSource(int i, Map<String, Object> source, String destination, boolean legacyAllowed) {
		String name = PermissionRules.text(source, "Name");
		if (name.isEmpty()) {
			throw invalid("Sources[%d].Name is required", i);
		}
		if (!PermissionRules.text(source, "SamenessGroup").isEmpty()) {
			throw invalid("Sources[%d].SamenessGroup: Sameness groups are a Consul Enterprise feature", i);
		}
		String wildcardError = wildcardError(name, PermissionRules.text(source, "Peer"));
		if (wildcardError != null) {
			throw invalid("Sources[%d].%s", i, wildcardError);
		}
		if (PermissionRules.text(source, "Description").length() > EntryRules.MAX_META_VALUE) {
			throw invalid("Sources[%d].Description exceeds maximum length %d", i, EntryRules.MAX_META_VALUE);
		}
		if (!legacyAllowed) {
			if (source.get("LegacyMeta") instanceof Map<?, ?> meta && !meta.isEmpty()) {
				throw invalid("Sources[%d].LegacyMeta must be omitted", i);
			}
		}
		List<Object> permissions = (List<Object>) source.getOrDefault("Permissions", List.of());
		String action = PermissionRules.text(source, "Action");
		if (permissions.isEmpty() && !action.equals("allow") && !action.equals("deny")) {
			throw invalid("Sources[%d].Action must be set to 'allow' or 'deny'", i);
		}
		if (!permissions.isEmpty() && !action.isEmpty()) {
			throw invalid("Sources[%d].Action must be omitted if Permissions are specified", i);
		}
		if (WILDCARD.equals(destination) && !permissions.isEmpty()) {
			throw invalid("Sources[%d].Permissions cannot be specified on intentions with wildcarded destinations", i);
		}
		if (!"consul".equals(PermissionRules.text(source, "Type"))) {
			throw invalid("Sources[%d].Type must be set to 'consul'", i);
		}
		for (int j = 0; j < permissions.size(); j++) {
			PermissionRules.check((Map<String, Object>) permissions.get(j), i, j);
		}
	}

	private static void wildcards(String name, String peer) {
		String error = wildcardError(name, peer);
		if (error != null) {
			throw InvalidConfigEntryException.invalid(error);
		}
	}

	private static @Nullable String wildcardError(String name, String peer) {
		if (!WILDCARD.equals(name) && name.contains(WILDCARD)) {
			return "Name: wildcard character '*' cannot be used with partial values";
		}
		return peer.contains(WILDCARD) ? "Peer: cannot use wildcard '*' in peer" : null;
	}

	private static InvalidConfigEntryException invalid(String format, Object... args) {
		return InvalidConfigEntryException.invalid(String.format(format, args));
	}

}
