package dev.connect.identity;

/**
 * Messages of {@link InvalidIdentityException}, shared with the table-driven tests so that every rejection has
 * exactly one wording. Each takes the offending value (already quoted by {@link #quote}) first.
 */
final class IdentityMessages {

	static final String ID_EMPTY = "SPIFFE ID must not be empty";

	static final String ID_TOO_LONG = "SPIFFE ID %s is %d bytes long; at most 2048 bytes are allowed";

	static final String ID_WRONG_SCHEME = "SPIFFE ID %s must start with 'spiffe://'";

	static final String ID_SCHEME_NOT_LOWERCASE = "SPIFFE ID %s must use the scheme 'spiffe' in lowercase";

	static final String ID_QUERY = "SPIFFE ID %s must not contain a query ('?')";

	static final String ID_FRAGMENT = "SPIFFE ID %s must not contain a fragment ('#')";

	static final String ID_PERCENT_ENCODED = "SPIFFE ID %s must not contain percent-encoded characters ('%%')";

	static final String ID_NO_TRUST_DOMAIN = "SPIFFE ID %s must have a trust domain after 'spiffe://'";

	static final String ID_USERINFO = "SPIFFE ID %s must not contain userinfo ('@') before the trust domain";

	static final String ID_PORT = "SPIFFE ID %s must not contain a port (':') after the trust domain";

	static final String ID_TRAILING_SLASH = "SPIFFE ID %s must not end with '/'";

	static final String ID_EMPTY_SEGMENT = "SPIFFE ID %s must not contain empty path segments ('//')";

	static final String ID_DOT_SEGMENT = "SPIFFE ID %s must not contain '.' or '..' path segments";

	static final String ID_SEGMENT_CHARS = "Path segment %s of SPIFFE ID %s must be letters, digits, '.', '-' or '_'";

	static final String TRUST_DOMAIN_EMPTY = "Trust domain must not be empty";

	static final String TRUST_DOMAIN_CHARS = "Trust domain %s must be lowercase letters, digits, '.', '-' or '_'";

	static final String TRUST_DOMAIN_TOO_LONG = "Trust domain %s is %d bytes long; at most 255 bytes are allowed";

	static final String TRUST_DOMAIN_WITH_SCHEME = "Trust domain %s must be given without the 'spiffe://' scheme";

	static final String PATH_NOT_ABSOLUTE = "SPIFFE ID path %s must be empty or start with '/'";

	static final String NOT_A_SERVICE = "SPIFFE ID %s is not a Consul service identity; expected "
			+ "spiffe://<trust-domain>[/ap/<partition>]/ns/<namespace>/dc/<datacenter>/svc/<service>";

	static final String NAME_INVALID = "%s %s must be a non-empty SPIFFE path segment: letters, digits, '.', '-' or '_'";

	private static final int MAX_QUOTED = 96;

	private IdentityMessages() {
	}

	/**
	 * Quotes a value for a message: single quotes, control and non-ASCII characters escaped as {@code \\uXXXX} so
	 * that a hostile value cannot forge log lines, and long values cut with their full length noted.
	 */
	static String quote(String value) {
		int shown = Math.min(value.length(), MAX_QUOTED);
		StringBuilder quoted = new StringBuilder(shown + 16).append('\'');
		for (int i = 0; i < shown; i++) {
			char c = value.charAt(i);
			if (c < 0x20 || c > 0x7e) {
				quoted.append(String.format("\\u%04x", (int) c));
			}
			else {
				quoted.append(c);
			}
		}
		if (shown < value.length()) {
			quoted.append("...(").append(value.length()).append(" characters)");
		}
		return quoted.append('\'').toString();
	}

	static InvalidIdentityException invalid(String value, String template, Object... args) {
		return new InvalidIdentityException(value, String.format(template, args));
	}

}
