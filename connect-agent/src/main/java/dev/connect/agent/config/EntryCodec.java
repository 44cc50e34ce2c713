package dev.connect.agent.config;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.connect.agent.config.Schema.Field;
import org.jspecify.annotations.Nullable;

/**
 * Consul's config entry decoding ({@code mapstructure} with weakly typed input, keys matched in any case or by
 * their snake-case alias, every key the struct does not have reported) and Go's JSON encoding of the result
 * ({@code omitempty}, zero values, {@code null} for nil slices and maps).
 */
final class EntryCodec {

	private final List<String> unused = new ArrayList<>();

	private final List<String> typeErrors = new ArrayList<>();

	/**
	 * Decodes a body into the fields of a schema; what does not fit is collected, not thrown.
	 * @param raw the JSON object, as parsed
	 * @param schema the struct
	 * @param ignored top-level keys that are read elsewhere (Kind, Name, the indexes)
	 * @return the values of the fields present, keyed by field name
	 */
	Map<String, Object> decode(Map<String, Object> raw, Schema schema, List<String> ignored) {
		Map<String, Object> out = new LinkedHashMap<>();
		raw.forEach((key, value) -> {
			if (!ignored.contains(key)) {
				put(out, schema, key, value, "");
			}
		});
		return out;
	}

	List<String> unused() {
		return this.unused;
	}

	/** Mapstructure's text for type errors, or {@code null} when there were none. */
	@Nullable String typeErrorText() {
		if (this.typeErrors.isEmpty()) {
			return null;
		}
		List<String> points = new ArrayList<>(this.typeErrors.stream().map((error) -> "* " + error).toList());
		points.sort(null);
		return this.typeErrors.size() + " error(s) decoding:\n\n" + String.join("\n", points);
	}

	private Map<String, Object> object(Map<?, ?> raw, Schema schema, String path) {
		Map<String, Object> out = new LinkedHashMap<>();
		raw.forEach((key, value) -> put(out, schema, String.valueOf(key), value, path));
		return out;
	}

	private void put(Map<String, Object> out, Schema schema, String key, @Nullable Object value, String path) {
		Field field = schema.find(key);
		String fieldPath = path.isEmpty() ? key : path + "." + key;
		if (field == null) {
			this.unused.add(fieldPath);
			return;
		}
		if (value == null) {
			return;
		}
		Object converted = convert(field, value, path.isEmpty() ? field.name() : path + "." + field.name());
		if (converted != null) {
			out.put(field.name(), converted);
		}
	}

	private @Nullable Object convert(Field field, Object value, String path) {
		return switch (field.type()) {
			case STRING -> scalarString(value, path);
			case BOOL -> bool(value, path);
			case INT -> integer(value, path);
			case TIME -> time(value, path);
			case ANY -> value;
			case ANY_MAP -> (value instanceof Map<?, ?> map) ? new LinkedHashMap<>(map) : mismatch(field, value, path);
			case STRING_MAP -> stringMap(field, value, path);
			case STRING_LIST -> stringList(value, path);
			case OBJECT -> struct(field, value, path);
			case OBJECT_LIST -> objectList(field, value, path);
		};
	}

	/** A struct; a list holding exactly one object is that object (Consul's {@code HookWeakDecodeFromSlice}). */
	private @Nullable Object struct(Field field, Object value, String path) {
		Object single = (value instanceof List<?> list && list.size() == 1) ? list.get(0) : value;
		if (single instanceof Map<?, ?> map) {
			return object(map, element(field), path);
		}
		return mismatch(field, value, path);
	}

	private static Schema element(Field field) {
		Schema element = field.element();
		if (element == null) {
			throw new IllegalStateException("Field '" + field.name() + "' has no element schema");
		}
		return element;
	}

	private @Nullable Object objectList(Field field, Object value, String path) {
		List<?> items = (value instanceof List<?> list) ? list : List.of(value);
		List<Object> out = new ArrayList<>();
		for (int i = 0; i < items.size(); i++) {
			Object item = items.get(i);
			String itemPath = path + "[" + i + "]";
			if (item instanceof Map<?, ?> map) {
				out.add(object(map, element(field), itemPath));
			}
			else {
				this.typeErrors.add("'" + itemPath + "' expected a map, got '" + goType(item) + "'");
			}
		}
		return out;
	}

	private @Nullable Object stringMap(Field field, Object value, String path) {
		if (!(value instanceof Map<?, ?> map)) {
			return mismatch(field, value, path);
		}
		Map<String, Object> out = new LinkedHashMap<>();
		map.forEach((key, item) -> {
			Object text = (item != null) ? scalarString(item, path + "[" + key + "]") : "";
			if (text != null) {
				out.put(String.valueOf(key), text);
			}
		});
		return out;
	}

	private @Nullable Object stringList(Object value, String path) {
		List<?> items = (value instanceof List<?> list) ? list : List.of(value);
		List<Object> out = new ArrayList<>();
		for (int i = 0; i < items.size(); i++) {
			Object text = (items.get(i) != null) ? scalarString(items.get(i), path + "[" + i + "]") : "";
			if (text != null) {
				out.add(text);
			}
		}
		return out;
	}

	private @Nullable Object scalarString(Object value, String path) {
		if (value instanceof String text) {
			return text;
		}
		if (value instanceof Boolean bool) {
			return bool ? "1" : "0";
		}
		if (value instanceof Number number) {
			return (number.doubleValue() == Math.rint(number.doubleValue())) ? Long.toString(number.longValue())
					: number.toString();
		}
		return unconvertible(path, "string", value);
	}

	private @Nullable Object bool(Object value, String path) {
		if (value instanceof Boolean) {
			return value;
		}
		if (value instanceof Number number) {
			return number.doubleValue() != 0;
		}
		if (value instanceof String text) {
			return switch (text) {
				case "1", "t", "T", "true", "TRUE", "True" -> true;
				case "0", "f", "F", "false", "FALSE", "False", "" -> false;
				default -> {
					this.typeErrors.add("cannot parse '" + path + "' as bool: strconv.ParseBool: parsing \"" + text
							+ "\": invalid syntax");
					yield null;
				}
			};
		}
		return unconvertible(path, "bool", value);
	}

	private @Nullable Object integer(Object value, String path) {
		if (value instanceof Number number) {
			return number.longValue();
		}
		if (value instanceof String text) {
			try {
				return text.isEmpty() ? 0L : Long.parseLong(text);
			}
			catch (NumberFormatException ex) {
				this.typeErrors.add("cannot parse '" + path + "' as int: strconv.ParseInt: parsing \"" + text
						+ "\": invalid syntax");
				return null;
			}
		}
		if (value instanceof Boolean bool) {
			return bool ? 1L : 0L;
		}
		return unconvertible(path, "int", value);
	}

	private @Nullable Object time(Object value, String path) {
		if (value instanceof String text) {
			try {
				return OffsetDateTime.parse(text).toInstant().toString();
			}
			catch (DateTimeParseException ex) {
				this.typeErrors.add("error decoding '" + path + "': parsing time \"" + text + "\" as RFC 3339");
				return null;
			}
		}
		return unconvertible(path, "time.Time", value);
	}

	private @Nullable Object mismatch(Field field, Object value, String path) {
		return unconvertible(path, field.type().goName(), value);
	}

	private @Nullable Object unconvertible(String path, String expected, Object value) {
		this.typeErrors.add("'" + path + "' expected type '" + expected + "', got unconvertible type '" + goType(value)
				+ "'");
		return null;
	}

	private static String goType(@Nullable Object value) {
		if (value instanceof Map) {
			return "map[string]interface {}";
		}
		if (value instanceof List) {
			return "[]interface {}";
		}
		if (value instanceof Number) {
			return "float64";
		}
		if (value instanceof Boolean) {
			return "bool";
		}
		return (value instanceof String) ? "string" : "<nil>";
	}

	/**
	 * Writes decoded values the way Go's encoder writes the struct.
	 * @param values the values present
	 * @param schema the struct
	 * @return the JSON object, fields in declaration order
	 */
	static Map<String, Object> render(Map<String, Object> values, Schema schema) {
		Map<String, @Nullable Object> out = new LinkedHashMap<>();
		for (Field field : schema.fields()) {
			Object value = values.get(field.name());
			if (value == null || (field.empty() == Schema.Empty.OMIT && isEmpty(field, value))) {
				renderAbsent(out, field);
			}
			else {
				out.put(field.name(), renderValue(field, value));
			}
		}
		@SuppressWarnings("unchecked")
		Map<String, Object> rendered = (Map<String, Object>) (Map<String, ?>) out;
		return rendered;
	}

	private static void renderAbsent(Map<String, @Nullable Object> out, Field field) {
		switch (field.empty()) {
			case OMIT -> {
			}
			case NULL -> out.put(field.name(), null);
			case STRUCT -> out.put(field.name(), render(Map.of(), element(field)));
			case ZERO -> out.put(field.name(), switch (field.type()) {
				case BOOL -> false;
				case INT -> 0L;
				case TIME -> "0001-01-01T00:00:00Z";
				case STRING -> "";
				default -> null;
			});
		}
	}

	@SuppressWarnings("unchecked")
	private static Object renderValue(Field field, Object value) {
		return switch (field.type()) {
			case OBJECT -> render((Map<String, Object>) value, element(field));
			case OBJECT_LIST -> ((List<Object>) value).stream()
				.map((item) -> (Object) render((Map<String, Object>) item, element(field)))
				.toList();
			default -> value;
		};
	}

	private static boolean isEmpty(Field field, Object value) {
		if (field.type() == Schema.Type.OBJECT) {
			return false;
		}
		return (value instanceof String text && text.isEmpty()) || Boolean.FALSE.equals(value)
				|| (value instanceof Number number && number.longValue() == 0)
				|| (value instanceof Map<?, ?> map && map.isEmpty())
				|| (value instanceof List<?> list && list.isEmpty());
	}

}
