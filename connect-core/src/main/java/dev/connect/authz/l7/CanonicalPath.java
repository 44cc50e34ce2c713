package dev.connect.authz.l7;

import java.util.Locale;

/**
 * Reads a request's raw path the way L7 rules match it, or refuses it. The rule behind every step: the path a rule
 * matches must be the path the application routes. A path that a servlet container or Spring's handler mapping could
 * read as other segments than the rules do is refused, never guessed at (CVE-2024-10005 and its kin).
 * <ol>
 * <li>Only visible ASCII, starting with {@code /} (RFC 3986 origin form); a backslash, encoded or not, is refused
 * (some servers read it as {@code /}).</li>
 * <li>A path parameter ({@code ;jsessionid=...}) is refused: containers strip it before routing, rules would not.</li>
 * <li>Every {@code %} is followed by two hex digits; an encoded control character is refused.</li>
 * <li>Percent-encoded unreserved characters ({@code %61} for {@code a}, {@code %2E} for {@code .}) are decoded, as
 * every router decodes them; other escapes are kept, with upper-case hex.</li>
 * <li>An encoded slash follows {@code PathWithEscapedSlashesAction}: refused unless it is {@code KEEP_UNCHANGED} or
 * {@code UNESCAPE_AND_FORWARD}.</li>
 * <li>A dot segment ({@code .} or {@code ..}, after decoding) is refused: Tomcat resolves it, Reactor Netty does not,
 * so the same bytes route differently by stack.</li>
 * <li>An empty segment ({@code //}) is merged when {@code MergeSlashes} is set, and refused otherwise (Tomcat merges
 * it).</li>
 * </ol>
 */
final class CanonicalPath {

	static final String BAD_CHARACTER = "the path has a character outside visible ASCII";

	static final String NOT_ABSOLUTE = "the path does not start with '/'";

	static final String BACKSLASH = "the path has a backslash";

	static final String PATH_PARAMETER = "the path has a path parameter (';')";

	static final String BAD_ESCAPE = "the path has an invalid percent-encoding";

	static final String ESCAPED_SLASH = "the path has an encoded slash";

	static final String DOT_SEGMENT = "the path has a '.' or '..' segment";

	static final String EMPTY_SEGMENT = "the path has an empty segment ('//')";

	private static final String UNRESERVED_PUNCTUATION = "-._~";

	private CanonicalPath() {
	}

	/**
	 * Reads one raw path.
	 * @param raw the path as sent, without the query
	 * @param normalization the mesh's request normalization
	 * @return the path rules match
	 * @throws AmbiguousRequestException when the path is refused
	 */
	static String of(String raw, RequestNormalization normalization) {
		if (raw.isEmpty() || raw.charAt(0) != '/') {
			throw new AmbiguousRequestException(NOT_ABSOLUTE);
		}
		if (isPlain(raw)) {
			return raw;
		}
		StringBuilder path = new StringBuilder(raw.length());
		for (int i = 0; i < raw.length(); i++) {
			char c = raw.charAt(i);
			if (c <= ' ' || c >= 0x7f) {
				throw new AmbiguousRequestException(BAD_CHARACTER);
			}
			switch (c) {
				case '\\' -> throw new AmbiguousRequestException(BACKSLASH);
				case ';' -> throw new AmbiguousRequestException(PATH_PARAMETER);
				case '%' -> i = escape(raw, i, path, normalization);
				default -> path.append(c);
			}
		}
		return segments(path, normalization.mergeSlashes());
	}

	/**
	 * Whether the path is already as the rules read it: visible ASCII with no escape, backslash or path parameter, and
	 * no dot or empty segment. Most paths are, and they are returned without a copy.
	 */
	private static boolean isPlain(String raw) {
		char previous = 0;
		for (int i = 0; i < raw.length(); i++) {
			char c = raw.charAt(i);
			if (c <= ' ' || c >= 0x7f || c == '%' || c == '\\' || c == ';' || (c == '/' && previous == '/')
					|| (c == '.' && (previous == '/' || previous == '.'))) {
				return false;
			}
			previous = c;
		}
		return true;
	}

	/** Appends the escape at {@code at} as the rules read it and returns the index of its last character. */
	private static int escape(String raw, int at, StringBuilder path, RequestNormalization normalization) {
		int high = at + 2 < raw.length() ? Character.digit(raw.charAt(at + 1), 16) : -1;
		int low = high >= 0 ? Character.digit(raw.charAt(at + 2), 16) : -1;
		if (low < 0) {
			throw new AmbiguousRequestException(BAD_ESCAPE);
		}
		char decoded = (char) (high * 16 + low);
		if (decoded < ' ' || decoded == 0x7f) {
			throw new AmbiguousRequestException(BAD_ESCAPE);
		}
		if (decoded == '\\') {
			throw new AmbiguousRequestException(BACKSLASH);
		}
		if (decoded == '/') {
			path.append(escapedSlash(normalization.escapedSlashes()));
		}
		else if (isUnreserved(decoded) && !normalization.insecureDisablePathNormalization()) {
			path.append(decoded);
		}
		else {
			path.append('%').append(raw.substring(at + 1, at + 3).toUpperCase(Locale.ROOT));
		}
		return at + 2;
	}

	private static String escapedSlash(RequestNormalization.EscapedSlashes action) {
		return switch (action) {
			case KEEP_UNCHANGED -> "%2F";
			case UNESCAPE_AND_FORWARD -> "/";
			case DEFAULT, REJECT_REQUEST, UNESCAPE_AND_REDIRECT -> throw new AmbiguousRequestException(ESCAPED_SLASH);
		};
	}

	private static boolean isUnreserved(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
				|| UNRESERVED_PUNCTUATION.indexOf(c) >= 0;
	}

	/** Checks the segments of the decoded path: no dot segment, and no empty one unless merged. */
	private static String segments(StringBuilder path, boolean mergeSlashes) {
		StringBuilder merged = new StringBuilder(path.length());
		int start = 1;
		merged.append('/');
		while (start <= path.length()) {
			int end = path.indexOf("/", start);
			boolean last = end < 0;
			String segment = path.substring(start, last ? path.length() : end);
			if (segment.equals(".") || segment.equals("..")) {
				throw new AmbiguousRequestException(DOT_SEGMENT);
			}
			if (segment.isEmpty() && !last) {
				if (!mergeSlashes) {
					throw new AmbiguousRequestException(EMPTY_SEGMENT);
				}
			}
			else {
				merged.append(segment);
				if (!last) {
					merged.append('/');
				}
			}
			start = last ? path.length() + 1 : end + 1;
		}
		return merged.toString();
	}

}
