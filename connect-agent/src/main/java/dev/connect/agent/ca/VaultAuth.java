package dev.connect.agent.ca;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The {@code vault} provider's token: given ({@code Token}) or from a login ({@code AuthMethod}); looked up with
 * {@code auth/token/lookup-self}; renewed with {@code auth/token/renew-self} once half of its TTL has passed
 * (Consul's lifetime watcher renews before expiry too); when renewal fails, logged in again where an auth method is
 * set. The token is never logged.
 */
final class VaultAuth {

	private static final System.Logger logger = System.getLogger(VaultAuth.class.getName());

	private final VaultSettings settings;

	private final Clock clock;

	private @Nullable VaultClient client;

	private volatile String token;

	private @Nullable Instant renewAt;

	private boolean lookedUp;

	private boolean loggingIn;

	VaultAuth(VaultSettings settings, Clock clock) {
		this.settings = settings;
		this.clock = clock;
		this.token = settings.token();
	}

	void attach(VaultClient client) {
		this.client = client;
	}

	String token() {
		return this.token;
	}

	/** Whether a refused token can be replaced by logging in; not while logging in already. */
	synchronized boolean canLogIn() {
		return this.settings.authMethod() != null && !this.loggingIn;
	}

	/** Logs in with the auth method and looks the new token up. */
	synchronized void logIn() {
		VaultSettings.AuthMethod method = this.settings.authMethod();
		if (method == null) {
			return;
		}
		this.loggingIn = true;
		try {
			Map<String, Object> reply = client().login(this.settings.namespace(), method.loginPath(),
					method.params());
			Object auth = reply.get("auth");
			Object clientToken = (auth instanceof Map<?, ?> map) ? map.get("client_token") : null;
			if (clientToken == null || clientToken.toString().isEmpty()) {
				throw new VaultClient.VaultCallException(502, "Vault answered PUT " + method.loginPath()
						+ " without auth.client_token", null);
			}
			this.token = clientToken.toString();
			lookUp();
		}
		finally {
			this.loggingIn = false;
		}
	}

	/** Reads the token's TTL and schedules its renewal at half of it; a token without TTL is never renewed. */
	synchronized void lookUp() {
		Map<String, Object> data = client().read(this.settings.namespace(), "auth/token/lookup-self");
		long ttl = (data.get("ttl") instanceof Number number) ? number.longValue() : 0;
		boolean renewable = Boolean.TRUE.equals(data.get("renewable"));
		this.lookedUp = true;
		this.renewAt = (ttl > 0 && (renewable || canLogIn()))
				? this.clock.instant().plus(Duration.ofSeconds(ttl).dividedBy(2)) : null;
	}

	/**
	 * Renews the token when its renewal time has come; when renewal fails, logs in again where it can.
	 * @throws VaultClient.VaultCallException when the token can be neither renewed nor replaced
	 */
	synchronized void keepAlive() {
		if (!this.lookedUp) {
			// Resumed after a restart: learn the token's TTL first.
			lookUp();
			return;
		}
		Instant due = this.renewAt;
		if (due == null || this.clock.instant().isBefore(due)) {
			return;
		}
		try {
			client().write(this.settings.namespace(), "auth/token/renew-self", Map.of());
			lookUp();
		}
		catch (VaultClient.VaultCallException ex) {
			if (!canLogIn() || ex.status() == 0) {
				throw ex;
			}
			logger.log(System.Logger.Level.INFO, "Vault token renewal failed ({0}); logging in again", ex.getMessage());
			logIn();
		}
	}

	private VaultClient client() {
		VaultClient current = this.client;
		if (current == null) {
			throw new IllegalStateException("VaultAuth used before its client was attached");
		}
		return current;
	}

	@Override
	public String toString() {
		return "VaultAuth[" + this.settings.address() + "]";
	}

}
