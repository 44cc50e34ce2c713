package dev.connect.authz.l7;

import java.util.Locale;

import tools.jackson.databind.JsonNode;

/**
 * The {@code mesh} config entry's {@code HTTP.Incoming.RequestNormalization}: how a request's path and headers are
 * normalized before L7 intentions match them.
 *
 * @param insecureDisablePathNormalization {@code InsecureDisablePathNormalization}: match percent-encoded
 * unreserved characters as sent (default {@code false})
 * @param mergeSlashes {@code MergeSlashes}: read {@code //} as {@code /} (default {@code false}: such a path is
 * refused, as a servlet container would merge it and the rules would not)
 * @param escapedSlashes {@code PathWithEscapedSlashesAction}
 * @param headersWithUnderscores {@code HeadersWithUnderscoresAction}
 */
public record RequestNormalization(boolean insecureDisablePathNormalization, boolean mergeSlashes,
		EscapedSlashes escapedSlashes, UnderscoreHeaders headersWithUnderscores) {

	/** Consul's defaults, with an escaped slash refused: what applies when the mesh has no such entry. */
	public static final RequestNormalization DEFAULT = new RequestNormalization(false, false, EscapedSlashes.DEFAULT,
			UnderscoreHeaders.ALLOW);

	/**
	 * Reads the normalization from a {@code mesh} config entry.
	 * @param meshEntry the entry as the agent answers it
	 * @return the normalization, {@link #DEFAULT} for every field the entry leaves out
	 * @throws MalformedEntryException when a field has the wrong type or an unknown value
	 */
	public static RequestNormalization fromMeshEntry(JsonNode meshEntry) {
		JsonNode node = meshEntry.path("HTTP").path("Incoming").path("RequestNormalization");
		if (node.isMissingNode() || node.isNull()) {
			return DEFAULT;
		}
		return new RequestNormalization(EntryFields.bool(node, "InsecureDisablePathNormalization"),
				EntryFields.bool(node, "MergeSlashes"),
				EscapedSlashes.of(EntryFields.text(node, "PathWithEscapedSlashesAction")),
				UnderscoreHeaders.of(EntryFields.text(node, "HeadersWithUnderscoresAction")));
	}

	/** {@code PathWithEscapedSlashesAction}: what a {@code %2F} or {@code %5C} in a path does. */
	public enum EscapedSlashes {

		/** Not set: refused, because a router that decodes it would see other segments than the rules. */
		DEFAULT,
		/** Matched as sent, still encoded. */
		KEEP_UNCHANGED,
		/** Refused with 400. */
		REJECT_REQUEST,
		/** Envoy redirects to the unescaped path; an application cannot, so refused with 400. */
		UNESCAPE_AND_REDIRECT,
		/** Matched unescaped. */
		UNESCAPE_AND_FORWARD;

		static EscapedSlashes of(String value) {
			if (value.isEmpty() || value.equals("IMPLEMENTATION_SPECIFIC_DEFAULT")) {
				return DEFAULT;
			}
			try {
				return valueOf(value);
			}
			catch (IllegalArgumentException ex) {
				throw new MalformedEntryException("PathWithEscapedSlashesAction '" + value + "' must be one of "
						+ "KEEP_UNCHANGED, REJECT_REQUEST, UNESCAPE_AND_REDIRECT or UNESCAPE_AND_FORWARD");
			}
		}

	}

	/** {@code HeadersWithUnderscoresAction}: what a header whose name has an underscore does. */
	public enum UnderscoreHeaders {

		/** Not set: matched like any other header. */
		ALLOW,
		/** Refused with 400. */
		REJECT_REQUEST,
		/** Left out of the match, as if the request did not carry it. */
		DROP_HEADER;

		static UnderscoreHeaders of(String value) {
			return switch (value.toUpperCase(Locale.ROOT)) {
				case "" -> ALLOW;
				case "REJECT_REQUEST" -> REJECT_REQUEST;
				case "DROP_HEADER" -> DROP_HEADER;
				default -> throw new MalformedEntryException("HeadersWithUnderscoresAction '" + value
						+ "' must be REJECT_REQUEST or DROP_HEADER");
			};
		}

	}

}
