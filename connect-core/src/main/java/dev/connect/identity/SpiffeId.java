package dev.connect.identity;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import static dev.connect.identity.IdentityMessages.invalid;
import static dev.connect.identity.IdentityMessages.quote;

/**
 * A SPIFFE ID, parsed strictly by the rules of the SPIFFE ID specification:
 * <ol>
 * <li>the scheme is {@code spiffe}, in lowercase, followed by {@code ://};</li>
 * <li>the trust domain is 1 to 255 bytes of lowercase letters, digits, {@code .}, {@code -} and {@code _}, with no
 * userinfo and no port;</li>
 * <li>the path is empty or a sequence of {@code /segment}, each segment of letters, digits, {@code .}, {@code -}
 * and {@code _}, none empty, none {@code .} or {@code ..}, with no trailing {@code /};</li>
 * <li>no query, no fragment and no percent-encoding anywhere;</li>
 * <li>at most 2048 bytes in all.</li>
 * </ol>
 * Parsing reads the raw string once, left to right, without {@link java.net.URI} and without case mapping, so it
 * is linear in the input and independent of the default locale. A valid ID has exactly one spelling, so
 * {@link #toString()} returns the parsed string and equality is string equality.
 */
public final class SpiffeId {

	static final int MAX_BYTES = 2048;

	private static final String SCHEME = "spiffe://";

	private final TrustDomain trustDomain;

	private final String path;

	private final String uri;

	private SpiffeId(TrustDomain trustDomain, String path, String uri) {
		this.trustDomain = trustDomain;
		this.path = path;
		this.uri = uri;
	}

	/**
	 * Parses a SPIFFE ID such as {@code spiffe://example.org/ns/default/dc/dc1/svc/web}.
	 * @param id the raw SPIFFE ID
	 * @return the SPIFFE ID
	 * @throws InvalidIdentityException naming the value and the broken rule
	 */
	public static SpiffeId parse(String id) {
		Objects.requireNonNull(id, "'id' must not be null");
		if (id.isEmpty()) {
			throw invalid(id, IdentityMessages.ID_EMPTY);
		}
		if (id.length() > MAX_BYTES) {
			throw invalid(id, IdentityMessages.ID_TOO_LONG, quote(id), id.getBytes(StandardCharsets.UTF_8).length);
		}
		checkScheme(id);
		int authorityEnd = checkDelimiters(id);
		String authority = id.substring(SCHEME.length(), authorityEnd);
		checkAuthority(authority, id);
		TrustDomain trustDomain = TrustDomain.checked(authority, id);
		String path = id.substring(authorityEnd);
		checkPath(path, id);
		return new SpiffeId(trustDomain, path, id);
	}

	/**
	 * Returns the SPIFFE ID made of a trust domain and a path.
	 * @param trustDomain the trust domain
	 * @param path an empty path, or one starting with {@code /} that follows the path rules
	 * @return the SPIFFE ID
	 * @throws InvalidIdentityException if the path breaks a rule
	 */
	public static SpiffeId of(TrustDomain trustDomain, String path) {
		Objects.requireNonNull(trustDomain, "'trustDomain' must not be null");
		Objects.requireNonNull(path, "'path' must not be null");
		if (!path.isEmpty() && path.charAt(0) != '/') {
			throw invalid(path, IdentityMessages.PATH_NOT_ABSOLUTE, quote(path));
		}
		String uri = SCHEME + trustDomain.name() + path;
		if (uri.length() > MAX_BYTES) {
			throw invalid(uri, IdentityMessages.ID_TOO_LONG, quote(uri), uri.getBytes(StandardCharsets.UTF_8).length);
		}
		checkDelimiters(uri);
		checkPath(path, uri);
		return new SpiffeId(trustDomain, path, uri);
	}

	/**
	 * Returns the SPIFFE ID made of a trust domain and path segments, each checked as a path segment.
	 * @param trustDomain the trust domain
	 * @param segments the path segments, without slashes
	 * @return the SPIFFE ID
	 * @throws InvalidIdentityException if a segment breaks a rule
	 */
	public static SpiffeId fromSegments(TrustDomain trustDomain, String... segments) {
		StringBuilder path = new StringBuilder();
		for (String segment : segments) {
			Objects.requireNonNull(segment, "'segments' must not contain null");
			path.append('/').append(segment);
		}
		return of(trustDomain, path.toString());
	}

	private static void checkScheme(String id) {
		if (!id.startsWith(SCHEME)) {
			if (id.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
				throw invalid(id, IdentityMessages.ID_SCHEME_NOT_LOWERCASE, quote(id));
			}
			throw invalid(id, IdentityMessages.ID_WRONG_SCHEME, quote(id));
		}
	}

	/**
	 * Rejects query, fragment and percent-encoding anywhere in the ID and returns the end of the authority.
	 */
	private static int checkDelimiters(String id) {
		int authorityEnd = -1;
		for (int i = SCHEME.length(); i < id.length(); i++) {
			char c = id.charAt(i);
			if (c == '?') {
				throw invalid(id, IdentityMessages.ID_QUERY, quote(id));
			}
			if (c == '#') {
				throw invalid(id, IdentityMessages.ID_FRAGMENT, quote(id));
			}
			if (c == '%') {
				throw invalid(id, IdentityMessages.ID_PERCENT_ENCODED, quote(id));
			}
			if (c == '/' && authorityEnd < 0) {
				authorityEnd = i;
			}
		}
		return (authorityEnd < 0) ? id.length() : authorityEnd;
	}

	private static void checkAuthority(String authority, String id) {
		if (authority.isEmpty()) {
			throw invalid(id, IdentityMessages.ID_NO_TRUST_DOMAIN, quote(id));
		}
		if (authority.indexOf('@') >= 0) {
			throw invalid(id, IdentityMessages.ID_USERINFO, quote(id));
		}
		if (authority.indexOf(':') >= 0) {
			throw invalid(id, IdentityMessages.ID_PORT, quote(id));
		}
	}

	private static void checkPath(String path, String id) {
		if (path.isEmpty()) {
			return;
		}
		if (path.charAt(path.length() - 1) == '/') {
			throw invalid(id, IdentityMessages.ID_TRAILING_SLASH, quote(id));
		}
		int start = 1;
		while (start <= path.length()) {
			int end = path.indexOf('/', start);
			if (end < 0) {
				end = path.length();
			}
			checkSegment(path, start, end, id);
			start = end + 1;
		}
	}

	private static void checkSegment(String path, int start, int end, String id) {
		int length = end - start;
		if (length == 0) {
			throw invalid(id, IdentityMessages.ID_EMPTY_SEGMENT, quote(id));
		}
		if (path.charAt(start) == '.' && (length == 1 || (length == 2 && path.charAt(start + 1) == '.'))) {
			throw invalid(id, IdentityMessages.ID_DOT_SEGMENT, quote(id));
		}
		for (int i = start; i < end; i++) {
			if (!isSegmentChar(path.charAt(i))) {
				throw invalid(id, IdentityMessages.ID_SEGMENT_CHARS, quote(path.substring(start, end)), quote(id));
			}
		}
	}

	/**
	 * Returns whether {@code value} is a valid, non-empty path segment that is neither {@code .} nor {@code ..}.
	 * @param value the candidate segment
	 * @return {@code true} if it can stand between two slashes of a SPIFFE ID
	 */
	public static boolean isValidSegment(String value) {
		if (value.isEmpty() || value.equals(".") || value.equals("..")) {
			return false;
		}
		for (int i = 0; i < value.length(); i++) {
			if (!isSegmentChar(value.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	private static boolean isSegmentChar(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-'
				|| c == '_';
	}

	/**
	 * Returns the trust domain.
	 * @return the trust domain
	 */
	public TrustDomain trustDomain() {
		return this.trustDomain;
	}

	/**
	 * Returns the path: empty for a trust domain's own ID, otherwise starting with {@code /}.
	 * @return the path
	 */
	public String path() {
		return this.path;
	}

	/**
	 * Returns the path segments, in order; empty when the path is empty.
	 * @return an unmodifiable list of segments
	 */
	public List<String> segments() {
		if (this.path.isEmpty()) {
			return List.of();
		}
		List<String> segments = new ArrayList<>();
		int start = 1;
		while (start <= this.path.length()) {
			int end = this.path.indexOf('/', start);
			end = (end < 0) ? this.path.length() : end;
			segments.add(this.path.substring(start, end));
			start = end + 1;
		}
		return List.copyOf(segments);
	}

	/**
	 * Returns whether this ID belongs to the given trust domain.
	 * @param other the trust domain to compare with
	 * @return {@code true} if the trust domains are equal
	 */
	public boolean isMemberOf(TrustDomain other) {
		return this.trustDomain.equals(other);
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || (other instanceof SpiffeId that && this.uri.equals(that.uri));
	}

	@Override
	public int hashCode() {
		return this.uri.hashCode();
	}

	/**
	 * Returns the SPIFFE ID as a URI string, for example {@code spiffe://example.org/svc/web}.
	 */
	@Override
	public String toString() {
		return this.uri;
	}

}
