package dev.connect.client;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeType;

/**
 * What an agent answer must carry before the mesh acts on it: the required fields, each with its exact JSON type
 * (a string is never read as a boolean or a number, nor a number as a boolean), nested as deep as a decision or
 * the material depends on them. Fields not named here are optional and, if present, still bound without coercion;
 * unknown fields are ignored, since Consul adds fields over time. Immutable; {@link #with} returns a copy.
 */
final class AnswerShape {

	static final String MISSING = "field '%s' is missing";

	static final String WRONG_TYPE = "field '%s' must be a JSON %s, not %s";

	private final JsonNodeType type;

	private final boolean integral;

	private final Map<String, AnswerShape> fields;

	private final @Nullable AnswerShape elements;

	private AnswerShape(JsonNodeType type, boolean integral, Map<String, AnswerShape> fields,
			@Nullable AnswerShape elements) {
		this.type = type;
		this.integral = integral;
		this.fields = fields;
		this.elements = elements;
	}

	static AnswerShape string() {
		return new AnswerShape(JsonNodeType.STRING, false, Map.of(), null);
	}

	static AnswerShape bool() {
		return new AnswerShape(JsonNodeType.BOOLEAN, false, Map.of(), null);
	}

	static AnswerShape integer() {
		return new AnswerShape(JsonNodeType.NUMBER, true, Map.of(), null);
	}

	/** An object; required fields are added with {@link #with}. */
	static AnswerShape object() {
		return new AnswerShape(JsonNodeType.OBJECT, false, Map.of(), null);
	}

	/** An array whose every element has a shape. */
	static AnswerShape arrayOf(AnswerShape elements) {
		return new AnswerShape(JsonNodeType.ARRAY, false, Map.of(), elements);
	}

	/** An object used as a map: any keys, every value of a shape. */
	static AnswerShape mapOf(AnswerShape values) {
		return new AnswerShape(JsonNodeType.OBJECT, false, Map.of(), values);
	}

	/**
	 * Returns a copy of this object shape that also requires a field.
	 * @param name the JSON field name
	 * @param shape the field's shape
	 * @return the copy
	 */
	AnswerShape with(String name, AnswerShape shape) {
		if (this.type != JsonNodeType.OBJECT) {
			throw new IllegalStateException("Only an object shape has fields, not " + describe());
		}
		Map<String, AnswerShape> copy = new LinkedHashMap<>(this.fields);
		copy.put(name, shape);
		return new AnswerShape(this.type, false, Map.copyOf(copy), this.elements);
	}

	/**
	 * Checks a parsed answer against this shape. The message names the field's path and the types, never a value
	 * (a leaf answer carries a private key).
	 * @param node the answer
	 * @throws IllegalArgumentException if a required field is missing or of another JSON type
	 */
	void check(JsonNode node) {
		check(node, "");
	}

	private void check(JsonNode node, String path) {
		if (!matches(node)) {
			throw new IllegalArgumentException(String.format(WRONG_TYPE, path.isEmpty() ? "(the answer)" : path,
					describe(), describe(node)));
		}
		this.fields.forEach((name, shape) -> {
			JsonNode field = node.get(name);
			String at = path.isEmpty() ? name : path + "." + name;
			if (field == null || field.isMissingNode()) {
				throw new IllegalArgumentException(String.format(MISSING, at));
			}
			shape.check(field, at);
		});
		if (this.elements != null) {
			if (node.isArray()) {
				for (int i = 0; i < node.size(); i++) {
					this.elements.check(node.get(i), path + "[" + i + "]");
				}
			}
			else {
				for (Map.Entry<String, JsonNode> entry : node.properties()) {
					this.elements.check(entry.getValue(),
							path.isEmpty() ? entry.getKey() : path + "." + entry.getKey());
				}
			}
		}
	}

	private boolean matches(JsonNode node) {
		return node.getNodeType() == this.type && (!this.integral || node.isIntegralNumber());
	}

	private String describe() {
		return this.integral ? "integer" : describe(this.type);
	}

	private static String describe(JsonNode node) {
		if (node.isNumber() && !node.isIntegralNumber()) {
			return "a fraction";
		}
		if (node.isNull()) {
			return "null";
		}
		String type = describe(node.getNodeType());
		return (type.startsWith("o") || type.startsWith("a")) ? "an " + type : "a " + type;
	}

	private static String describe(JsonNodeType type) {
		return switch (type) {
			case STRING -> "string";
			case BOOLEAN -> "boolean";
			case NUMBER -> "number";
			case OBJECT -> "object";
			case ARRAY -> "array";
			case NULL -> "null";
			default -> type.name().toLowerCase(java.util.Locale.ROOT);
		};
	}

}
