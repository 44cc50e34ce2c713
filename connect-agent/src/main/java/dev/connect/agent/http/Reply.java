package dev.connect.agent.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A complete answer: status, headers and body.
 */
record Reply(int status, Map<String, String> headers, byte[] body) {

	static final String JSON = "application/json";

	static final String TEXT = "text/plain; charset=utf-8";

	static Reply json(byte[] body) {
		return new Reply(200, new LinkedHashMap<>(Map.of("Content-Type", JSON)), body);
	}

	static Reply text(int status, String body) {
		return new Reply(status, new LinkedHashMap<>(Map.of("Content-Type", TEXT)),
				body.getBytes(StandardCharsets.UTF_8));
	}

	static Reply empty() {
		return new Reply(200, new LinkedHashMap<>(), new byte[0]);
	}

	Reply header(String name, String value) {
		this.headers.put(name, value);
		return this;
	}

	/** Adds the query-meta headers of an RPC-backed read. */
	Reply indexed(long index) {
		return header("X-Consul-Index", Long.toString(Math.max(1, index))).header("X-Consul-KnownLeader", "true")
			.header("X-Consul-LastContact", "0");
	}

}
