package dev.connect.agent.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The dev agent's ACL model: one management token. When the agent has one, a request must present it, through
 * Consul's sources in Consul's order: {@code ?token=}, then {@code X-Consul-Token}, then
 * {@code Authorization: Bearer <token>}. A request without a token is anonymous and gets Consul's 403
 * {@code Permission denied ...}; a request with another token gets 403 {@value #ACL_NOT_FOUND}. As in Consul,
 * the CA roots and the leader status need no token. Tokens are compared in constant time and never logged.
 */
final class AclTokens {

	static final String ACL_NOT_FOUND = "ACL not found";

	static final String ANONYMOUS_DENIED = "Permission denied: token with AccessorID "
			+ "'00000000-0000-0000-0000-000000000002' lacks permission to use this endpoint";

	private static final Set<String> OPEN_PATHS = Set.of("/v1/agent/connect/ca/roots", "/v1/connect/ca/roots",
			"/v1/status/leader");

	private final byte @Nullable [] managementToken;

	AclTokens(@Nullable String managementToken) {
		this.managementToken = (managementToken != null) ? managementToken.getBytes(StandardCharsets.UTF_8) : null;
	}

	boolean enabled() {
		return this.managementToken != null;
	}

	/**
	 * Checks a request's token.
	 * @throws HttpError 403 when the request may not proceed
	 */
	void check(String path, Exchange exchange) {
		if (this.managementToken == null || OPEN_PATHS.contains(path)) {
			return;
		}
		String token = tokenOf(exchange);
		if (token == null || token.isEmpty()) {
			throw new HttpError(403, ANONYMOUS_DENIED);
		}
		if (!MessageDigest.isEqual(this.managementToken, token.getBytes(StandardCharsets.UTF_8))) {
			throw new HttpError(403, ACL_NOT_FOUND);
		}
	}

	static @Nullable String tokenOf(Exchange exchange) {
		String query = exchange.param("token");
		if (query != null && !query.isEmpty()) {
			return query;
		}
		String header = exchange.headers().get("X-Consul-Token");
		if (header != null && !header.isEmpty()) {
			return header;
		}
		String authorization = exchange.headers().get("Authorization");
		if (authorization != null) {
			String[] parts = authorization.trim().split("\\s+", 2);
			if (parts.length == 2 && parts[0].equalsIgnoreCase("bearer")) {
				return parts[1].trim();
			}
		}
		return null;
	}

}
