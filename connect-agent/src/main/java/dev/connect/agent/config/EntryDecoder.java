package dev.connect.agent.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.connect.api.MultiError;

/**
 * Consul's {@code structs.DecodeConfigEntry}: the kind picks the struct, mapstructure fills it, and every key the
 * struct does not have is refused ({@code validateUnusedKeys}, CE), so that nothing a user wrote is silently
 * dropped.
 */
final class EntryDecoder {

	private static final List<String> IGNORED = List.of("Kind", "kind", "CreateIndex", "ModifyIndex", "Hash");

	private EntryDecoder() {
	}

	static Decoded decode(Map<String, Object> raw) {
		Object kindValue = raw.containsKey("Kind") ? raw.get("Kind") : raw.get("kind");
		if (!raw.containsKey("Kind") && !raw.containsKey("kind")) {
			throw InvalidConfigEntryException.decoding("Payload does not contain a kind/Kind key at the top level");
		}
		if (!(kindValue instanceof String kind)) {
			throw InvalidConfigEntryException.decoding("Kind value in payload is not a string");
		}
		Schema schema = EntryKinds.schema(kind);
		if (schema == null) {
			throw InvalidConfigEntryException.decoding(unsupportedKind(kind));
		}
		Map<String, Object> body = new LinkedHashMap<>(raw);
		String name = "";
		if (EntryKinds.named(kind)) {
			String nameKey = body.keySet().stream().filter((k) -> k.equalsIgnoreCase("Name")).findFirst().orElse("");
			Object nameValue = body.remove(nameKey);
			name = (nameValue != null) ? String.valueOf(nameValue) : "";
		}
		EntryCodec codec = new EntryCodec();
		Map<String, Object> values = codec.decode(body, schema, IGNORED);
		String typeErrors = codec.typeErrorText();
		if (typeErrors != null) {
			throw InvalidConfigEntryException.decoding(typeErrors);
		}
		if (!codec.unused().isEmpty()) {
			throw InvalidConfigEntryException.decoding(MultiError.format(codec.unused().stream()
				.map(EntryDecoder::unusedKey)
				.toList()));
		}
		return new Decoded(kind, name, values);
	}

	/** Consul's {@code invalid config entry kind}; for one of Consul's kinds, what this agent serves instead. */
	static String unsupportedKind(String kind) {
		String message = "invalid config entry kind: " + kind;
		return EntryKinds.CONSUL_KINDS.contains(kind) ? message + " (the dev agent serves service-intentions, "
				+ "service-defaults, proxy-defaults and mesh)" : message;
	}

	private static String unusedKey(String key) {
		String lower = key.toLowerCase(Locale.ROOT);
		if (lower.endsWith("namespace")) {
			return "invalid config key \"" + key + "\", namespaces are a consul enterprise feature";
		}
		return "invalid config key \"" + key + "\"";
	}

	static List<Map<String, Object>> permissions(List<Map<String, Object>> permissions) {
		List<Map<String, Object>> out = new ArrayList<>();
		Schema permissionsList = Schema.of(Schema.Field.list("Permissions", Schema.Empty.OMIT, EntryKinds.PERMISSION));
		EntryCodec codec = new EntryCodec();
		Map<String, Object> decoded = codec.decode(Map.of("Permissions", permissions), permissionsList, List.of());
		if (!codec.unused().isEmpty()) {
			String path = codec.unused().get(0);
			throw InvalidConfigEntryException
				.decoding("json: unknown field \"" + path.substring(path.lastIndexOf('.') + 1) + "\"");
		}
		String typeErrors = codec.typeErrorText();
		if (typeErrors != null) {
			throw InvalidConfigEntryException.decoding(typeErrors);
		}
		Object list = decoded.get("Permissions");
		if (list instanceof List<?> items) {
			items.forEach((item) -> out.add(castMap(item)));
		}
		return out;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> castMap(Object item) {
		return (Map<String, Object>) item;
	}

	record Decoded(String kind, String name, Map<String, Object> values) {
	}

}
