package dev.connect.agent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The CLI's calls to an agent: the address, the token sent as {@code X-Consul-Token}, and Consul's API client's
 * wording for an answer that is not 2xx ({@code Unexpected response code: 404 (<body>)}).
 */
final class AgentConnection {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String address;

	private final @Nullable String token;

	AgentConnection(String address, @Nullable String token) {
		this.address = address.contains("://") ? address : "http://" + address;
		this.token = token;
	}

	String address() {
		return this.address;
	}

	/**
	 * Sends a request and answers the response, whatever its status.
	 * @throws DevAgentMain.UsageException when the agent cannot be reached
	 */
	HttpResponse<String> send(String method, String path, @Nullable String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.address + path))
			.timeout(Duration.ofSeconds(30))
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body)
					: HttpRequest.BodyPublishers.noBody());
		if (this.token != null && !this.token.isEmpty()) {
			request.header("X-Consul-Token", this.token);
		}
		try {
			return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new DevAgentMain.UsageException("Unable to reach the agent at " + this.address + ": " + ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DevAgentMain.UsageException("Interrupted while calling the agent at " + this.address);
		}
	}

	/** Consul's API client's error for an answer that is not 2xx, or {@code null} for a 2xx answer. */
	static @Nullable String unexpected(HttpResponse<String> response) {
		if (response.statusCode() / 100 == 2) {
			return null;
		}
		return "Unexpected response code: " + response.statusCode() + " (" + response.body().trim() + ")";
	}

}
