package dev.connect.test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/** An answer: a status and a JSON body or plain text. */
record VaultAnswer(int status, @Nullable String contentType, byte[] body) {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	static VaultAnswer json(int status, Object value) {
		return new VaultAnswer(status, "application/json", JSON.writeValueAsBytes(value));
	}

	static VaultAnswer data(Map<String, Object> data) {
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("request_id", java.util.UUID.randomUUID().toString());
		answer.put("lease_id", "");
		answer.put("renewable", false);
		answer.put("lease_duration", 0);
		answer.put("data", data);
		answer.put("warnings", null);
		answer.put("auth", null);
		return json(200, answer);
	}

	static VaultAnswer text(String text) {
		return new VaultAnswer(200, "application/pem-certificate-chain", text.getBytes(StandardCharsets.UTF_8));
	}

	static VaultAnswer empty() {
		return new VaultAnswer(204, null, new byte[0]);
	}

	void send(HttpExchange exchange) throws IOException {
		if (this.contentType != null) {
			exchange.getResponseHeaders().set("Content-Type", this.contentType);
		}
		exchange.sendResponseHeaders(this.status, (this.body.length == 0) ? -1 : this.body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(this.body);
		}
	}

}
