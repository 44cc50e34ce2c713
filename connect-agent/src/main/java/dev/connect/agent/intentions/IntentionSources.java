package dev.connect.agent.intentions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.connect.agent.config.ConfigEntry;
import dev.connect.api.Intention;
import org.jspecify.annotations.Nullable;

/**
 * The bridge between the intentions API and {@code service-intentions} entries, as Consul's
 * {@code ServiceIntentionsConfigEntry.ToIntention} and {@code Intention.ToConfigEntry}: one source of the
 * destination's entry is one intention; its indexes are the entry's; {@code Meta} is the entry's, or the source's
 * {@code LegacyMeta} for an intention made through the legacy ID API.
 */
final class IntentionSources {

	static final String KIND = "service-intentions";

	private IntentionSources() {
	}

	/** Every intention held by the entries, in Consul's evaluation order. */
	static List<Intention> flatten(List<ConfigEntry> entries) {
		List<Intention> all = new ArrayList<>();
		for (ConfigEntry entry : entries) {
			Object rendered = entry.toJson().get("Sources");
			if (rendered instanceof List<?> sources) {
				sources.forEach((source) -> all.add(toIntention(entry, cast(source))));
			}
		}
		all.sort(IntentionRules.EVALUATION_ORDER);
		return List.copyOf(all);
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> cast(Object value) {
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	private static Intention toIntention(ConfigEntry entry, Map<String, Object> source) {
		String legacyId = text(source, "LegacyID");
		Map<String, String> meta = legacyId.isEmpty() ? entry.meta()
				: (Map<String, String>) source.getOrDefault("LegacyMeta", Map.of());
		List<Map<String, Object>> permissions = (List<Map<String, Object>>) source.get("Permissions");
		String action = text(source, "Action");
		return new Intention(legacyId.isEmpty() ? null : legacyId, text(source, "Description"),
				IntentionRules.DEFAULT_NS, text(source, "Name"), IntentionRules.DEFAULT_NS, entry.name(), null, null,
				emptyToNull(text(source, "Peer")), text(source, "Type"), emptyToNull(action), permissions,
				meta.isEmpty() ? null : meta, ((Number) source.getOrDefault("Precedence", 0L)).intValue(),
				time(source, "LegacyCreateTime"), time(source, "LegacyUpdateTime"), entry.createIndex(),
				entry.modifyIndex());
	}

	/**
	 * The source an intention becomes. A legacy intention keeps its ID, metadata and timestamps; an intention of
	 * the exact API has none of them.
	 */
	static Map<String, Object> sourceOf(Intention intention) {
		Map<String, Object> source = new LinkedHashMap<>();
		source.put("Name", intention.sourceName());
		if (intention.action() != null && !intention.action().isEmpty()) {
			source.put("Action", intention.action());
		}
		if (IntentionRules.isL7(intention)) {
			source.put("Permissions", intention.permissions());
		}
		source.put("Type", intention.sourceType());
		source.put("Description", (intention.description() != null) ? intention.description() : "");
		if (intention.id() != null) {
			source.put("LegacyID", intention.id());
			source.put("LegacyMeta", (intention.meta() != null) ? intention.meta() : Map.of());
			putTime(source, "LegacyCreateTime", intention.createdAt());
			putTime(source, "LegacyUpdateTime", intention.updatedAt());
		}
		if (intention.sourcePeer() != null && !intention.sourcePeer().isEmpty()) {
			source.put("Peer", intention.sourcePeer());
		}
		return source;
	}

	private static void putTime(Map<String, Object> source, String field, @Nullable Instant time) {
		if (time != null) {
			source.put(field, time.toString());
		}
	}

	/** The entry's values with its sources replaced. */
	static Map<String, Object> withSources(@Nullable ConfigEntry entry, List<Map<String, Object>> sources) {
		Map<String, Object> values = (entry != null) ? new LinkedHashMap<>(entry.values()) : new LinkedHashMap<>();
		values.put("Sources", List.copyOf(sources));
		return values;
	}

	static String text(Map<String, Object> map, String field) {
		Object value = map.get(field);
		return (value instanceof String text) ? text : "";
	}

	private static @Nullable String emptyToNull(String value) {
		return value.isEmpty() ? null : value;
	}

	private static @Nullable Instant time(Map<String, Object> source, String field) {
		Object value = source.get(field);
		return (value instanceof String text) ? Instant.parse(text) : null;
	}

}
