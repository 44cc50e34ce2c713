package dev.connect.agent.config;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Consul's checks of one L7 permission ({@code IntentionPermission}), with its messages; the first broken rule is
 * the answer, as in Consul. JWT requirements are refused: the dev agent does not verify tokens, and ignoring one
 * would allow what the entry means to deny.
 */
final class PermissionRules {

	static final String JWT_REFUSED = "JWT requirements are not supported by the dev agent, which does not verify "
			+ "JWTs; remove JWT or use a Consul cluster";

	private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT",
			"OPTIONS", "TRACE");

	private static final List<String> MATCHERS = List.of("Exact", "Prefix", "Suffix", "Contains", "Regex");

	private static final List<String> CASE_FOLDING = List.of("Exact", "Prefix", "Suffix", "Contains");

	private PermissionRules() {
	}

	static void check(Map<String, Object> permission, int source, int index) {
		String action = text(permission, "Action");
		if (!action.equals("allow") && !action.equals("deny")) {
			throw invalid("Sources[%d].Permissions[%d].Action must be set to 'allow' or 'deny'", source, index);
		}
		String prefix = String.format("Sources[%d].Permissions[%d].HTTP", source, index);
		if (permission.containsKey("JWT")) {
			throw InvalidConfigEntryException.invalid(String.format("Sources[%d].Permissions[%d].JWT: ", source, index)
					+ JWT_REFUSED);
		}
		Object http = permission.get("HTTP");
		if (!(http instanceof Map<?, ?> rules)) {
			throw InvalidConfigEntryException.invalid(prefix + " is required");
		}
		int parts = paths(rules, prefix) + headers(rules, prefix) + methods(rules, prefix);
		if (parts == 0) {
			throw InvalidConfigEntryException.invalid(prefix + " should not be empty");
		}
	}

	private static int paths(Map<?, ?> http, String prefix) {
		int paths = 0;
		for (String field : List.of("PathExact", "PathPrefix")) {
			String path = text(http, field);
			if (!path.isEmpty()) {
				paths++;
				if (!path.startsWith("/")) {
					throw InvalidConfigEntryException.invalid(prefix + "." + field + " doesn't start with '/': \"" + path
							+ "\"");
				}
			}
		}
		paths += text(http, "PathRegex").isEmpty() ? 0 : 1;
		if (paths > 1) {
			throw InvalidConfigEntryException
				.invalid(prefix + " should only contain at most one of PathExact, PathPrefix, or PathRegex");
		}
		return paths;
	}

	private static int headers(Map<?, ?> http, String prefix) {
		Object headers = http.get("Header");
		if (!(headers instanceof List<?> list)) {
			return 0;
		}
		for (int k = 0; k < list.size(); k++) {
			Map<?, ?> header = (Map<?, ?>) list.get(k);
			String at = prefix + ".Header[" + k + "]";
			if (text(header, "Name").isEmpty()) {
				throw InvalidConfigEntryException.invalid(at + " missing required Name field");
			}
			long matchers = MATCHERS.stream().filter((m) -> !text(header, m).isEmpty()).count()
					+ (Boolean.TRUE.equals(header.get("Present")) ? 1 : 0);
			if (matchers != 1) {
				throw InvalidConfigEntryException
					.invalid(at + " should only contain one of Present, Exact, Prefix, Suffix, Contains, or Regex");
			}
			if (Boolean.TRUE.equals(header.get("IgnoreCase"))
					&& CASE_FOLDING.stream().allMatch((m) -> text(header, m).isEmpty())) {
				throw InvalidConfigEntryException
					.invalid(at + " should set one of Exact, Prefix, Suffix, or Contains to use IgnoreCase");
			}
		}
		return list.size();
	}

	private static int methods(Map<?, ?> http, String prefix) {
		Object methods = http.get("Methods");
		if (!(methods instanceof List<?> list) || list.isEmpty()) {
			return 0;
		}
		Set<Object> seen = new HashSet<>();
		for (Object method : list) {
			if (!METHODS.contains(method)) {
				throw InvalidConfigEntryException.invalid(prefix + ".Methods contains an invalid method \"" + method + "\"");
			}
			if (!seen.add(method)) {
				throw InvalidConfigEntryException.invalid(prefix + ".Methods contains \"" + method + "\" more than once");
			}
		}
		return 1;
	}

	static String text(Map<?, ?> map, String field) {
		Object value = map.get(field);
		return (value instanceof String text) ? text : "";
	}

	private static InvalidConfigEntryException invalid(String format, Object... args) {
		return InvalidConfigEntryException.invalid(String.format(format, args));
	}

}
