package dev.connect.client;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Where the agent is and how to talk to it.
 *
 * @param address the agent's HTTP(S) base URL, {@code http://127.0.0.1:8500} by default
 * @param token the ACL token sent as {@code X-Consul-Token}, or {@code null} for none; never logged
 * @param requestTimeout how long a non-blocking request may take, 10 seconds by default
 * @param caFile PEM file of the CA that signs an HTTPS agent's certificate, or {@code null} for the JDK's trust
 */
public record AgentClientSettings(URI address, @Nullable String token, Duration requestTimeout,
		@Nullable Path caFile) {

	/** The address of a local Consul agent. */
	public static final URI DEFAULT_ADDRESS = URI.create("http://127.0.0.1:8500");

	public AgentClientSettings {
		Objects.requireNonNull(address, "'address' must not be null");
		Objects.requireNonNull(requestTimeout, "'requestTimeout' must not be null");
		String scheme = address.getScheme();
		if (!"http".equals(scheme) && !"https".equals(scheme)) {
			throw new IllegalArgumentException(
					"Agent address '" + address + "' must be an http:// or https:// URL, for example http://127.0.0.1:8500");
		}
	}

	/**
	 * Returns the settings of a local agent without a token.
	 * @return the defaults
	 */
	public static AgentClientSettings defaults() {
		return new AgentClientSettings(DEFAULT_ADDRESS, null, Duration.ofSeconds(10), null);
	}

	/**
	 * Reads Consul's standard variables: {@code CONSUL_HTTP_ADDR} (with or without scheme),
	 * {@code CONSUL_HTTP_TOKEN}, else the contents of {@code CONSUL_HTTP_TOKEN_FILE}, and {@code CONSUL_CACERT}.
	 * @param environment the environment variables
	 * @return the settings
	 * @throws IllegalArgumentException when the address is malformed or the token file cannot be read
	 */
	public static AgentClientSettings fromEnvironment(Map<String, String> environment) {
		String address = environment.get("CONSUL_HTTP_ADDR");
		URI uri = (address == null || address.isBlank()) ? DEFAULT_ADDRESS : parseAddress(address);
		String token = environment.get("CONSUL_HTTP_TOKEN");
		String tokenFile = environment.get("CONSUL_HTTP_TOKEN_FILE");
		if ((token == null || token.isBlank()) && tokenFile != null && !tokenFile.isBlank()) {
			token = readToken(Path.of(tokenFile));
		}
		String caFile = environment.get("CONSUL_CACERT");
		return new AgentClientSettings(uri, (token != null && !token.isBlank()) ? token.trim() : null,
				Duration.ofSeconds(10), (caFile != null && !caFile.isBlank()) ? Path.of(caFile) : null);
	}

	/**
	 * Parses an agent address the way Consul's clients do: {@code host:port} means {@code http://host:port}.
	 * @param address the address
	 * @return the base URL
	 */
	public static URI parseAddress(String address) {
		String trimmed = address.trim();
		try {
			return URI.create(trimmed.contains("://") ? trimmed : "http://" + trimmed);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("Agent address '" + address
					+ "' must be a URL or host:port, for example http://127.0.0.1:8500", ex);
		}
	}

	/**
	 * Reads a token file; only the trimmed content is kept.
	 * @param file the file
	 * @return the token
	 */
	public static String readToken(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8).trim();
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("Unable to read the agent token file '" + file + "': " + ex.getMessage(),
					ex);
		}
	}

	/**
	 * Returns a copy with another token.
	 * @param token the token, or {@code null}
	 * @return the new settings
	 */
	public AgentClientSettings withToken(@Nullable String token) {
		return new AgentClientSettings(this.address, token, this.requestTimeout, this.caFile);
	}

	/**
	 * Returns a copy for another agent address.
	 * @param address the base URL
	 * @return the new settings
	 */
	public AgentClientSettings withAddress(URI address) {
		return new AgentClientSettings(address, this.token, this.requestTimeout, this.caFile);
	}

	@Override
	public String toString() {
		return "AgentClientSettings[address=" + this.address + ", token=" + ((this.token != null) ? "<redacted>" : "none")
				+ ", requestTimeout=" + this.requestTimeout + ", caFile=" + this.caFile + "]";
	}

}
