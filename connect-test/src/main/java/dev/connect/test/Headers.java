package dev.connect.test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.netty.handler.codec.http.HttpHeaders;

/** HTTP headers as an immutable map whose names are compared without regard to case, as HTTP compares them. */
final class Headers {

	private Headers() {
	}

	static Map<String, List<String>> of(HttpHeaders headers) {
		Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		for (String name : headers.names()) {
			copy.put(name, List.copyOf(headers.getAll(name)));
		}
		return Collections.unmodifiableMap(copy);
	}

	static Map<String, List<String>> copyOf(Map<String, List<String>> headers) {
		Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		headers.forEach((name, values) -> copy.computeIfAbsent(name, (key) -> new ArrayList<>()).addAll(values));
		copy.replaceAll((name, values) -> List.copyOf(values));
		return Collections.unmodifiableMap(copy);
	}

}
