package dev.connect.authz.l7;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One entry of a source's {@code Permissions}: an action and the {@code HTTP} match that selects it. Every part that
 * is set must match: the path (exact, prefix or whole-path regex), the method, and every header matcher.
 */
final class HttpPermission {

	private static final Set<String> FIELDS = Set.of("Action", "HTTP");

	private static final Set<String> HTTP_FIELDS = Set.of("PathExact", "PathPrefix", "PathRegex", "Methods", "Header");

	private final boolean allow;

	private final String pathExact;

	private final String pathPrefix;

	private final @Nullable Pattern pathRegex;

	private final Set<String> methods;

	private final List<HeaderRule> headers;

	private final String description;

	private HttpPermission(boolean allow, JsonNode http, int position) {
		this.allow = allow;
		this.pathExact = EntryFields.text(http, "PathExact");
		this.pathPrefix = EntryFields.text(http, "PathPrefix");
		String regex = EntryFields.text(http, "PathRegex");
		this.pathRegex = regex.isEmpty() ? null : compile(regex);
		this.methods = methods(EntryFields.array(http, "Methods"));
		this.headers = headers(EntryFields.array(http, "Header"));
		this.description = "permission " + position + " (" + (allow ? "allow" : "deny") + describe() + ")";
	}

	static HttpPermission of(JsonNode node, int position) {
		EntryFields.object(node, "a permission");
		if (!node.path("JWT").isMissingNode() && !node.path("JWT").isNull()) {
			throw new UnsupportedRuleException("permission " + position
					+ " requires a JWT, which this version does not verify");
		}
		refuseUnknown(node, FIELDS, "permission " + position);
		JsonNode http = node.path("HTTP");
		if (http.isMissingNode() || http.isNull()) {
			throw new UnsupportedRuleException("permission " + position + " has no HTTP match");
		}
		EntryFields.object(http, "permission " + position + "'s HTTP");
		refuseUnknown(http, HTTP_FIELDS, "permission " + position + "'s HTTP");
		HttpPermission permission = new HttpPermission(action(EntryFields.text(node, "Action"), position), http,
				position);
		permission.check(position);
		return permission;
	}

	/** Consul refuses to store these; from a misbehaving agent they must not match more than they say. */
	private void check(int position) {
		int paths = (this.pathExact.isEmpty() ? 0 : 1) + (this.pathPrefix.isEmpty() ? 0 : 1)
				+ (this.pathRegex == null ? 0 : 1);
		if (paths > 1) {
			throw new UnsupportedRuleException("permission " + position + " has more than one path match");
		}
		if (paths == 0 && this.methods.isEmpty() && this.headers.isEmpty()) {
			throw new UnsupportedRuleException("permission " + position + " matches nothing in its HTTP match");
		}
	}

	private static boolean action(String action, int position) {
		return switch (action) {
			case "allow" -> true;
			case "deny" -> false;
			default -> throw new MalformedEntryException(
					"permission " + position + " has the Action '" + action + "'; allowed: allow, deny");
		};
	}

	private static void refuseUnknown(JsonNode node, Set<String> known, String what) {
		String unknown = EntryFields.unknownField(node, known);
		if (!unknown.isEmpty()) {
			throw new UnsupportedRuleException(
					what + " has the field '" + unknown + "', which this version does not enforce");
		}
	}

	private static Pattern compile(String regex) {
		try {
			return Pattern.compile(regex);
		}
		catch (PatternSyntaxException ex) {
			throw new MalformedEntryException("the PathRegex '" + regex + "' does not compile");
		}
	}

	private static Set<String> methods(JsonNode array) {
		Set<String> methods = new LinkedHashSet<>();
		for (JsonNode method : array) {
			if (!method.isString()) {
				throw new MalformedEntryException("a Methods entry must be a string, not " + method.getNodeType());
			}
			methods.add(method.stringValue());
		}
		return Set.copyOf(methods);
	}

	private static List<HeaderRule> headers(JsonNode array) {
		List<HeaderRule> headers = new ArrayList<>();
		for (JsonNode header : array) {
			headers.add(HeaderRule.of(header));
		}
		return List.copyOf(headers);
	}

	boolean allow() {
		return this.allow;
	}

	boolean matches(String method, String path, HeadersRead headers) {
		if (!this.pathExact.isEmpty() && !path.equals(this.pathExact)) {
			return false;
		}
		if (!this.pathPrefix.isEmpty() && !path.startsWith(this.pathPrefix)) {
			return false;
		}
		if (this.pathRegex != null && !this.pathRegex.matcher(path).matches()) {
			return false;
		}
		if (!this.methods.isEmpty() && !this.methods.contains(method)) {
			return false;
		}
		for (HeaderRule header : this.headers) {
			if (!header.matches(headers)) {
				return false;
			}
		}
		return true;
	}

	private String describe() {
		StringBuilder match = new StringBuilder();
		if (!this.pathExact.isEmpty()) {
			match.append(" PathExact '").append(this.pathExact).append('\'');
		}
		if (!this.pathPrefix.isEmpty()) {
			match.append(" PathPrefix '").append(this.pathPrefix).append('\'');
		}
		if (this.pathRegex != null) {
			match.append(" PathRegex '").append(this.pathRegex.pattern()).append('\'');
		}
		if (!this.methods.isEmpty()) {
			match.append(" Methods ").append(new java.util.TreeSet<>(this.methods));
		}
		for (HeaderRule header : this.headers) {
			match.append(' ').append(header);
		}
		return (match.length() > 0) ? ":" + match : "";
	}

	@Override
	public String toString() {
		return this.description;
	}

}
