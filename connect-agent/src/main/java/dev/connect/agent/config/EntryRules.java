package dev.connect.agent.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

import org.jspecify.annotations.Nullable;

/**
 * Normalization and validation of each kind, with Consul's messages, and the rule that ties kinds together: a
 * destination with L7 permissions must speak HTTP (its {@code service-defaults} Protocol, else the
 * {@code proxy-defaults} global {@code Config.protocol}, else {@code tcp}), checked on every write of either side.
 */
final class EntryRules {

	static final int MAX_META_PAIRS = 64;

	static final int MAX_META_KEY = 128;

	static final int MAX_META_VALUE = 512;

	static final Set<String> HTTP_PROTOCOLS = Set.of("http", "http2", "grpc");

	private static final Set<String> ESCAPED_SLASHES = Set.of("", "IMPLEMENTATION_SPECIFIC_DEFAULT", "KEEP_UNCHANGED",
			"REJECT_REQUEST", "UNESCAPE_AND_REDIRECT", "UNESCAPE_AND_FORWARD");

	private static final Set<String> UNDERSCORES = Set.of("", "ALLOW", "REJECT_REQUEST", "DROP_HEADER");

	private EntryRules() {
	}

	/** The entry's name after Consul's normalization: proxy-defaults is always {@code global}, mesh is {@code mesh}. */
	static String name(String kind, String name) {
		if (EntryKinds.PROXY_DEFAULTS.equals(kind)) {
			if (!name.isEmpty() && !name.equals(EntryKinds.GLOBAL)) {
				throw InvalidConfigEntryException
					.invalid("invalid name (\"" + name + "\"), only \"" + EntryKinds.GLOBAL + "\" is supported");
			}
			return EntryKinds.GLOBAL;
		}
		return EntryKinds.MESH.equals(kind) ? EntryKinds.MESH : name;
	}

	static Map<String, Object> normalize(String kind, String name, Map<String, Object> values, boolean legacyWrite) {
		if (EntryKinds.SERVICE_INTENTIONS.equals(kind)) {
			return IntentionEntryRules.normalize(name, values, legacyWrite);
		}
		if (EntryKinds.SERVICE_DEFAULTS.equals(kind) && values.get("Protocol") instanceof String protocol) {
			Map<String, Object> out = new LinkedHashMap<>(values);
			out.put("Protocol", protocol.toLowerCase(Locale.ROOT));
			return out;
		}
		return values;
	}

	static void validate(ConfigEntry entry, boolean legacyAllowed) {
		switch (entry.kind()) {
			case EntryKinds.SERVICE_INTENTIONS ->
				IntentionEntryRules.validate(entry.name(), entry.values(), entry.sources(), legacyAllowed);
			case EntryKinds.MESH -> {
				checkMeta(entry.values());
				checkNormalization(entry.values());
			}
			default -> {
				if (entry.name().isEmpty()) {
					throw InvalidConfigEntryException.invalid("Name is required");
				}
				checkMeta(entry.values());
			}
		}
	}

	static void checkMeta(Map<String, Object> values) {
		if (!(values.get("Meta") instanceof Map<?, ?> meta)) {
			return;
		}
		if (meta.size() > MAX_META_PAIRS) {
			throw InvalidConfigEntryException.invalid("Meta exceeds maximum element count " + MAX_META_PAIRS);
		}
		meta.forEach((key, value) -> {
			if (String.valueOf(key).length() > MAX_META_KEY) {
				throw InvalidConfigEntryException
					.invalid("Meta key \"" + key + "\" exceeds maximum length " + MAX_META_KEY);
			}
			if (String.valueOf(value).length() > MAX_META_VALUE) {
				throw InvalidConfigEntryException
					.invalid("Meta value for key \"" + key + "\" exceeds maximum length " + MAX_META_VALUE);
			}
		});
	}

	private static void checkNormalization(Map<String, Object> values) {
		Map<?, ?> normalization = path(values, "HTTP", "Incoming", "RequestNormalization");
		String slashes = PermissionRules.text(normalization, "PathWithEscapedSlashesAction");
		if (!ESCAPED_SLASHES.contains(slashes)) {
			throw InvalidConfigEntryException.invalid("no matching PathWithEscapedSlashesAction value found for \""
					+ slashes + "\"; allowed: " + String.join(", ", ESCAPED_SLASHES.stream().sorted().toList()));
		}
		String underscores = PermissionRules.text(normalization, "HeadersWithUnderscoresAction");
		if (!UNDERSCORES.contains(underscores)) {
			throw InvalidConfigEntryException.invalid("no matching HeadersWithUnderscoresAction value found for \""
					+ underscores + "\"; allowed: " + String.join(", ", UNDERSCORES.stream().sorted().toList()));
		}
	}

	static Map<?, ?> path(Map<?, ?> values, String... keys) {
		Map<?, ?> current = values;
		for (String key : keys) {
			if (!(current.get(key) instanceof Map<?, ?> next)) {
				return Map.of();
			}
			current = next;
		}
		return current;
	}

	/**
	 * The protocol of a service as the mesh sees it.
	 * @param entries looks an entry up by kind and name
	 */
	static String protocol(String service, BiFunction<String, String, @Nullable ConfigEntry> entries) {
		ConfigEntry defaults = entries.apply(EntryKinds.SERVICE_DEFAULTS, service);
		String protocol = (defaults != null) ? PermissionRules.text(defaults.values(), "Protocol") : "";
		if (protocol.isEmpty()) {
			ConfigEntry global = entries.apply(EntryKinds.PROXY_DEFAULTS, EntryKinds.GLOBAL);
			Object configured = (global != null) ? path(global.values(), "Config").get("protocol") : null;
			protocol = (configured != null) ? String.valueOf(configured).toLowerCase(Locale.ROOT) : "";
		}
		return protocol.isEmpty() ? "tcp" : protocol;
	}

	/** Refuses a state in which an entry with L7 permissions names a destination that does not speak HTTP. */
	static void checkL7Protocols(List<ConfigEntry> intentions,
			BiFunction<String, String, @Nullable ConfigEntry> entries) {
		for (ConfigEntry entry : intentions) {
			boolean l7 = entry.sources().stream().anyMatch((s) -> s.get("Permissions") instanceof List<?> p && !p.isEmpty());
			String protocol = l7 ? protocol(entry.name(), entries) : "http";
			if (!HTTP_PROTOCOLS.contains(protocol)) {
				throw InvalidConfigEntryException.invalid("service \"" + entry.name() + "\" has protocol \"" + protocol
						+ "\", which does not support L7 intentions (Permissions): set its service-defaults Protocol (or "
						+ "the proxy-defaults global Config protocol) to http, http2 or grpc");
			}
		}
	}

}
