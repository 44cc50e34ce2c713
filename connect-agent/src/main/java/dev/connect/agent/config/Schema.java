package dev.connect.agent.config;

import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The shape of a Go struct as Consul's decoder and encoder see it: its fields in declaration order, each with a
 * type and the way Go's {@code encoding/json} writes it when it is empty.
 *
 * @param fields the fields, in the order Consul writes them
 */
record Schema(List<Field> fields) {

	static Schema of(Field... fields) {
		return new Schema(List.of(fields));
	}

	/** Finds a field the way mapstructure does: the exact name, then any case, then the snake-case alias. */
	@Nullable Field find(String key) {
		for (Field field : this.fields) {
			if (field.name().equals(key)) {
				return field;
			}
		}
		for (Field field : this.fields) {
			if (field.name().equalsIgnoreCase(key) || field.alias().equals(key)) {
				return field;
			}
		}
		return null;
	}

	/** A value's Go type. */
	enum Type {

		STRING("string"), BOOL("bool"), INT("int"), STRING_MAP("map[string]string"),
		ANY_MAP("map[string]interface {}"), STRING_LIST("[]string"), OBJECT("struct"), OBJECT_LIST("[]struct"),
		TIME("time.Time"), ANY("interface {}");

		private final String goName;

		Type(String goName) {
			this.goName = goName;
		}

		String goName() {
			return this.goName;
		}

	}

	/** What Go's encoder writes for a field that is empty. */
	enum Empty {

		/** {@code json:",omitempty"} on a scalar, slice, map or pointer: left out. */
		OMIT,
		/** A scalar without omitempty: its zero value. */
		ZERO,
		/** A nil slice, map or pointer without omitempty: {@code null}. */
		NULL,
		/** A struct value (never omitted by Go): the struct with its own empty fields. */
		STRUCT

	}

	/**
	 * One field.
	 * @param name the Go field name, as Consul writes it
	 * @param type the type
	 * @param empty how an empty value is written
	 * @param element the schema of a struct or of a slice's struct elements
	 */
	record Field(String name, Type type, Empty empty, @Nullable Schema element) {

		static Field of(String name, Type type, Empty empty) {
			return new Field(name, type, empty, null);
		}

		static Field object(String name, Empty empty, Schema element) {
			return new Field(name, Type.OBJECT, empty, element);
		}

		static Field list(String name, Empty empty, Schema element) {
			return new Field(name, Type.OBJECT_LIST, empty, element);
		}

		String alias() {
			return this.name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
		}

	}

}
