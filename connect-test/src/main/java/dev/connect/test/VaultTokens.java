package dev.connect.test;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The tokens of {@link VaultPkiTestServer}: TTLs on its clock, lookup, renewal and AppRole logins, with Vault's
 * answers and refusals. Callers hold the server's lock.
 */
final class VaultTokens {

	private final Clock clock;

	private final String rootToken;

	private final Map<String, Token> tokens = new LinkedHashMap<>();

	private final Map<String, AppRole> appRoles = new LinkedHashMap<>();

	VaultTokens(Clock clock) {
		this.clock = clock;
		this.rootToken = newTokenId();
		this.tokens.put(this.rootToken, new Token(this.rootToken, null, Duration.ZERO, false));
	}

	String rootToken() {
		return this.rootToken;
	}

	String create(Duration ttl, boolean renewable) {
		String id = newTokenId();
		this.tokens.put(id, new Token(id, this.clock.instant().plus(ttl), ttl, renewable));
		return id;
	}

	void expireNow(String token) {
		Token current = this.tokens.get(token);
		if (current != null) {
			this.tokens.put(token, new Token(token, this.clock.instant().minusSeconds(1), current.ttl(),
					current.renewable()));
		}
	}

	void addAppRole(String mountPath, String roleId, String secretId, Duration tokenTtl) {
		this.appRoles.put(mountPath, new AppRole(roleId, secretId, tokenTtl));
	}

	VaultAnswer login(String mountPath, Map<String, Object> body) {
		AppRole role = this.appRoles.get(mountPath);
		if (role == null) {
			throw new VaultError(404, "no handler for route \"auth/" + mountPath + "/login\". route entry not found.");
		}
		if (!role.roleId().equals(VaultParams.text(body, "role_id"))
				|| !role.secretId().equals(VaultParams.text(body, "secret_id"))) {
			throw new VaultError(400, "invalid role or secret ID");
		}
		Token token = new Token(newTokenId(), this.clock.instant().plus(role.tokenTtl()), role.tokenTtl(), true);
		this.tokens.put(token.id(), token);
		return VaultAnswer.json(200, Map.of("auth", auth(token), "data", Map.of()));
	}

	Token authenticate(@Nullable String token) {
		Token known = (token != null) ? this.tokens.get(token) : null;
		if (known == null || known.expiredAt(this.clock.instant())) {
			throw new VaultError(403, "permission denied");
		}
		return known;
	}

	Map<String, Object> lookup(Token token) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("id", token.id());
		data.put("policies", List.of("root"));
		data.put("ttl", token.remaining(this.clock.instant()).toSeconds());
		data.put("creation_ttl", token.ttl().toSeconds());
		data.put("renewable", token.renewable());
		data.put("expire_time", (token.expiresAt() != null) ? token.expiresAt().toString() : null);
		data.put("explicit_max_ttl", 0);
		data.put("type", "service");
		return data;
	}

	VaultAnswer renew(Token token, Map<String, Object> body) {
		if (!token.renewable()) {
			throw new VaultError(400, "lease is not renewable");
		}
		Duration increment = VaultParams.duration(body.get("increment"), token.ttl());
		Token renewed = new Token(token.id(), this.clock.instant().plus(increment), token.ttl(), true);
		this.tokens.put(token.id(), renewed);
		return VaultAnswer.json(200, Map.of("auth", auth(renewed)));
	}

	private Map<String, Object> auth(Token token) {
		Map<String, Object> auth = new LinkedHashMap<>();
		auth.put("client_token", token.id());
		auth.put("policies", List.of("root"));
		auth.put("token_policies", List.of("root"));
		auth.put("lease_duration", token.remaining(this.clock.instant()).toSeconds());
		auth.put("renewable", token.renewable());
		return auth;
	}

	private static String newTokenId() {
		byte[] bytes = new byte[12];
		new SecureRandom().nextBytes(bytes);
		return "hvs." + HexFormat.of().formatHex(bytes);
	}

	record Token(String id, @Nullable Instant expiresAt, Duration ttl, boolean renewable) {

		boolean expiredAt(Instant now) {
			return this.expiresAt != null && !now.isBefore(this.expiresAt);
		}

		Duration remaining(Instant now) {
			return (this.expiresAt == null) ? Duration.ZERO : Duration.between(now, this.expiresAt);
		}

	}

	private record AppRole(String roleId, String secretId, Duration tokenTtl) {
	}

}
