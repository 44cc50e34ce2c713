package dev.connect.agent.ca;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Vault's HTTP API as the {@code vault} provider calls it: JSON in and out, the token in {@code X-Vault-Token}, the
 * namespace in {@code X-Vault-Namespace}. A refusal becomes a {@link VaultCallException} with Vault's messages and
 * the failing path; a 403 is retried once after {@link VaultAuth} logs in again, where it can.
 */
final class VaultClient {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final URI address;

	private final HttpClient http;

	private final VaultAuth auth;

	VaultClient(URI address, HttpClient http, VaultAuth auth) {
		this.address = address;
		this.http = http;
		this.auth = auth;
	}

	/** A refused or failed Vault call: Vault's status and messages, and the path that failed. */
	static final class VaultCallException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		private final int status;

		VaultCallException(int status, String message, @Nullable Throwable cause) {
			super(message, cause);
			this.status = status;
		}

		/** The HTTP status, 0 when Vault could not be reached. */
		int status() {
			return this.status;
		}

	}

	/** The reply's {@code data}. */
	Map<String, Object> read(String namespace, String path) {
		return data(call("GET", namespace, path, null));
	}

	/** The reply's {@code data}, empty for 204. */
	Map<String, Object> write(String namespace, String path, Map<String, Object> body) {
		return data(call("POST", namespace, path, body));
	}

	void delete(String namespace, String path) {
		call("DELETE", namespace, path, null);
	}

	/** A plain-text answer such as {@code ca/pem}, or {@code null} on 404 (not mounted). */
	@Nullable String readText(String namespace, String path) {
		try {
			return new String(call("GET", namespace, path, null), StandardCharsets.UTF_8);
		}
		catch (VaultCallException ex) {
			if (ex.status() == 404) {
				return null;
			}
			throw ex;
		}
	}

	/** A call without a token, for logging in; the whole reply. */
	Map<String, Object> login(String namespace, String path, Map<String, Object> body) {
		return json(send("PUT", namespace, path, body, null));
	}

	private byte[] call(String method, String namespace, String path, @Nullable Map<String, Object> body) {
		try {
			return send(method, namespace, path, body, this.auth.token());
		}
		catch (VaultCallException ex) {
			if (ex.status() == 403 && this.auth.canLogIn()) {
				this.auth.logIn();
				return send(method, namespace, path, body, this.auth.token());
			}
			throw ex;
		}
	}

	private byte[] send(String method, String namespace, String path, @Nullable Map<String, Object> body,
			@Nullable String token) {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.address.resolve("/v1/" + path))
			.timeout(TIMEOUT)
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))
					: HttpRequest.BodyPublishers.noBody());
		if (token != null) {
			request.header("X-Vault-Token", token);
		}
		if (!namespace.isEmpty()) {
			request.header("X-Vault-Namespace", namespace);
		}
		HttpResponse<byte[]> response;
		try {
			response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (IOException ex) {
			throw new VaultCallException(0, "Unable to reach Vault at " + this.address + " for " + method + " " + path
					+ ": " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new VaultCallException(0, "Interrupted calling Vault for " + method + " " + path, ex);
		}
		if (response.statusCode() >= 400) {
			throw new VaultCallException(response.statusCode(), "Vault refused " + method + " " + path + " (status "
					+ response.statusCode() + "): " + errors(response.body()), null);
		}
		return response.body();
	}

	private static String errors(byte[] body) {
		try {
			Object errors = JSON.readValue(body, new TypeReference<Map<String, Object>>() {
			}).get("errors");
			if (errors instanceof List<?> list && !list.isEmpty()) {
				return String.join("; ", list.stream().map(String::valueOf).toList());
			}
		}
		catch (RuntimeException ex) {
			// Not Vault's error shape: show the text.
		}
		String text = new String(body, StandardCharsets.UTF_8).strip();
		return text.isEmpty() ? "no message" : text;
	}

	private static Map<String, Object> json(byte[] body) {
		if (body.length == 0) {
			return Map.of();
		}
		return JSON.readValue(body, new TypeReference<Map<String, Object>>() {
		});
	}

	private static Map<String, Object> data(byte[] body) {
		Object data = json(body).get("data");
		Map<String, Object> result = new LinkedHashMap<>();
		if (data instanceof Map<?, ?> map) {
			map.forEach((key, value) -> result.put(String.valueOf(key), value));
		}
		return result;
	}

}
