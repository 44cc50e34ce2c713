package dev.connect.agent.http;

import java.util.List;
import java.util.Map;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import org.jspecify.annotations.Nullable;

/**
 * A request as handlers see it: method, the path remainder after the route's prefix, decoded query parameters,
 * headers and the whole body.
 */
record Exchange(HttpMethod method, String path, String remainder, Map<String, List<String>> query,
		HttpHeaders headers, byte[] body) {

	boolean has(String name) {
		return this.query.containsKey(name);
	}

	@Nullable String param(String name) {
		List<String> values = this.query.get(name);
		return (values == null || values.isEmpty()) ? null : values.get(0);
	}

	List<String> params(String name) {
		return this.query.getOrDefault(name, List.of());
	}

	/**
	 * Reads a flag the way Consul does: present with an empty value, or a value Go's {@code strconv.ParseBool}
	 * accepts.
	 */
	boolean flag(String name, String invalidMessage) {
		if (!has(name)) {
			return false;
		}
		String value = param(name);
		if (value == null || value.isEmpty()) {
			return true;
		}
		return switch (value) {
			case "1", "t", "T", "true", "TRUE", "True" -> true;
			case "0", "f", "F", "false", "FALSE", "False" -> false;
			default -> throw HttpError.badRequest(invalidMessage);
		};
	}

}
