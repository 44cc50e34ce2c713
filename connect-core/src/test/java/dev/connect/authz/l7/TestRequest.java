package dev.connect.authz.l7;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** A request with the method, raw path and headers given, header names kept as given. */
final class TestRequest implements HttpRequestView {

	private final String method;

	private final String rawPath;

	private final Map<String, List<String>> headers = new LinkedHashMap<>();

	private TestRequest(String method, String rawPath) {
		this.method = method;
		this.rawPath = rawPath;
	}

	static TestRequest get(String rawPath) {
		return new TestRequest("GET", rawPath);
	}

	static TestRequest of(String method, String rawPath) {
		return new TestRequest(method, rawPath);
	}

	TestRequest header(String name, String value) {
		this.headers.computeIfAbsent(name, (key) -> new ArrayList<>()).add(value);
		return this;
	}

	@Override
	public String method() {
		return this.method;
	}

	@Override
	public String rawPath() {
		return this.rawPath;
	}

	@Override
	public Set<String> headerNames() {
		return this.headers.keySet();
	}

	@Override
	public List<String> headerValues(String name) {
		List<String> values = new ArrayList<>();
		this.headers.forEach((key, list) -> {
			if (key.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
				values.addAll(list);
			}
		});
		return values;
	}

}
