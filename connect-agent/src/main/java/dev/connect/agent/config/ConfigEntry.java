package dev.connect.agent.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A stored config entry: its kind, its name, the values of its fields (as {@link EntryKinds} decodes them) and its
 * indexes.
 *
 * @param kind the kind, for example {@code service-intentions}
 * @param name the name ({@code global} for proxy-defaults, {@code mesh} for the mesh entry)
 * @param values the fields present, keyed by Consul's field name; nested structs are maps, slices are lists
 * @param createIndex the index at which it was created
 * @param modifyIndex the index at which it last changed
 */
public record ConfigEntry(String kind, String name, Map<String, Object> values, long createIndex, long modifyIndex) {

	/** Copies the values, so an entry never changes once made. */
	public ConfigEntry {
		Objects.requireNonNull(kind, "'kind' must not be null");
		Objects.requireNonNull(name, "'name' must not be null");
		values = Map.copyOf(values);
	}

	/**
	 * Returns the entry as Consul's HTTP API writes it: {@code Kind}, {@code Name} (not for the mesh entry), the
	 * fields in Consul's order with Go's empty values, then the indexes.
	 * @return the JSON object
	 */
	public Map<String, Object> toJson() {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("Kind", this.kind);
		if (EntryKinds.named(this.kind)) {
			json.put("Name", this.name);
		}
		Schema schema = EntryKinds.schema(this.kind);
		json.putAll((schema != null) ? EntryCodec.render(this.values, schema) : this.values);
		json.put("CreateIndex", this.createIndex);
		json.put("ModifyIndex", this.modifyIndex);
		return json;
	}

	/**
	 * Returns the sources of a {@code service-intentions} entry, in precedence order.
	 * @return the sources, each a map of Consul's field names (empty for other kinds)
	 */
	@SuppressWarnings("unchecked")
	public List<Map<String, Object>> sources() {
		Object sources = this.values.get("Sources");
		return (sources instanceof List<?> list) ? (List<Map<String, Object>>) list : List.of();
	}

	/**
	 * Returns the entry's {@code Meta}.
	 * @return the metadata, empty when there is none
	 */
	@SuppressWarnings("unchecked")
	public Map<String, String> meta() {
		Object meta = this.values.get("Meta");
		return (meta instanceof Map<?, ?> map) ? (Map<String, String>) map : Map.of();
	}

}
