package dev.connect.agent.ca;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The provider part of a CA configuration as {@code PUT /v1/connect/ca/configuration} carries it: the provider's
 * name, its raw settings (read by the provider itself, keys in PascalCase or snake_case) and Consul's
 * {@code ForceWithoutCrossSigning}.
 *
 * @param provider the provider name, {@code consul} by default
 * @param config the raw settings; never logged or served, as they may hold a private key
 * @param forceWithoutCrossSigning whether to switch away from a provider that cannot cross-sign its successor
 */
public record ProviderConfig(String provider, Map<String, Object> config, boolean forceWithoutCrossSigning) {

	private static final java.util.Set<String> SECRETS = java.util.Set.of("PrivateKey", "private_key", "Token",
			"token");

	public ProviderConfig {
		Objects.requireNonNull(provider, "'provider' must not be null");
		Objects.requireNonNull(config, "'config' must not be null");
		// JSON null means absent, and Map.copyOf refuses null values.
		Map<String, Object> present = new java.util.LinkedHashMap<>();
		config.forEach((key, value) -> {
			if (value != null) {
				present.put(key, value);
			}
		});
		config = java.util.Collections.unmodifiableMap(present);
	}

	/**
	 * Returns the built-in provider with generated keys.
	 * @return the configuration
	 */
	public static ProviderConfig builtIn() {
		return new ProviderConfig(BuiltInProvider.NAME, Map.of(), false);
	}

	/**
	 * Returns a string setting.
	 * @param name the PascalCase key
	 * @param snakeName the snake_case key
	 * @return the value, or an empty string when absent
	 */
	String string(String name, String snakeName) {
		@Nullable Object value = this.config.get(name);
		value = (value != null) ? value : this.config.get(snakeName);
		return (value != null) ? value.toString() : "";
	}

	/**
	 * Returns PEM texts given as one string or as a list of strings.
	 * @param name the PascalCase key
	 * @param snakeName the snake_case key
	 * @return the texts, empty when absent
	 */
	List<String> strings(String name, String snakeName) {
		@Nullable Object value = this.config.get(name);
		value = (value != null) ? value : this.config.get(snakeName);
		if (value instanceof List<?> list) {
			return list.stream().map(String::valueOf).toList();
		}
		return (value != null && !value.toString().isEmpty()) ? List.of(value.toString()) : List.of();
	}

	/**
	 * Returns the settings without secrets, as {@code GET /v1/connect/ca/configuration} may show them: no
	 * {@code PrivateKey}, no Vault {@code Token}, and of an {@code AuthMethod} only its {@code Type} and
	 * {@code MountPath} (its {@code Params} may hold a secret ID or password).
	 * @return the non-secret settings
	 */
	public Map<String, Object> nonSecret() {
		Map<String, Object> shown = new java.util.LinkedHashMap<>();
		this.config.forEach((key, value) -> {
			if (SECRETS.contains(key)) {
				return;
			}
			if (value instanceof Map<?, ?> method && (key.equals("AuthMethod") || key.equals("auth_method"))) {
				Map<String, Object> kept = new java.util.LinkedHashMap<>();
				method.forEach((name, part) -> {
					if (!"Params".equals(name) && !"params".equals(name) && part != null) {
						kept.put(name.toString(), part);
					}
				});
				shown.put(key, kept);
				return;
			}
			shown.put(key, value);
		});
		return java.util.Collections.unmodifiableMap(shown);
	}

	/** Whether the settings name a root or key, so that applying them may change the root. */
	boolean suppliesRoot() {
		return !string("RootCert", "root_cert").isEmpty() || !string("PrivateKey", "private_key").isEmpty();
	}

	/** Whether the other settings name the same provider, root and key, so that they lead to the same root. */
	boolean sameRoot(ProviderConfig other) {
		if (!BuiltInProvider.NAME.equals(this.provider)) {
			// A provider that keeps its root elsewhere finds it again from the same settings.
			return this.provider.equals(other.provider) && this.config.equals(other.config);
		}
		return this.provider.equals(other.provider)
				&& string("RootCert", "root_cert").equals(other.string("RootCert", "root_cert"))
				&& string("PrivateKey", "private_key").equals(other.string("PrivateKey", "private_key"));
	}

	@Override
	public String toString() {
		return "ProviderConfig[provider=" + this.provider + ", keys=" + this.config.keySet() + "]";
	}

}
