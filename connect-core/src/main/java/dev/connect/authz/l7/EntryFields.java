package dev.connect.authz.l7;

import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * Typed reads of config entry fields. Go leaves zero values out or sends them: an absent, null or empty field is
 * the zero value; a field of another JSON type is malformed.
 */
final class EntryFields {

	private EntryFields() {
	}

	static String text(JsonNode node, String field) {
		JsonNode value = node.path(field);
		if (value.isMissingNode() || value.isNull()) {
			return "";
		}
		if (!value.isString()) {
			throw new MalformedEntryException("'" + field + "' must be a string, not " + value.getNodeType());
		}
		return value.stringValue();
	}

	static boolean bool(JsonNode node, String field) {
		JsonNode value = node.path(field);
		if (value.isMissingNode() || value.isNull()) {
			return false;
		}
		if (!value.isBoolean()) {
			throw new MalformedEntryException("'" + field + "' must be a boolean, not " + value.getNodeType());
		}
		return value.booleanValue();
	}

	static JsonNode array(JsonNode node, String field) {
		JsonNode value = node.path(field);
		if (!value.isMissingNode() && !value.isNull() && !value.isArray()) {
			throw new MalformedEntryException("'" + field + "' must be an array, not " + value.getNodeType());
		}
		return value;
	}

	static void object(JsonNode node, String what) {
		if (!node.isObject()) {
			throw new MalformedEntryException(what + " must be an object, not " + node.getNodeType());
		}
	}

	/**
	 * The first field of {@code node} that is set (not null) and not one of {@code known}.
	 */
	static String unknownField(JsonNode node, Set<String> known) {
		for (var field : node.properties()) {
			if (!known.contains(field.getKey()) && !field.getValue().isNull()) {
				return field.getKey();
			}
		}
		return "";
	}

}
