package dev.connect.api;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code GET|PUT /v1/connect/ca/configuration} (Consul's {@code CAConfiguration}).
 *
 * @param provider the CA provider, {@code consul} for the built-in CA
 * @param config the provider settings, keyed as Consul's ({@code LeafCertTTL}, {@code PrivateKeyType}, ...)
 * @param state provider state; always {@code null} in answers
 * @param forceWithoutCrossSigning whether a rotation may skip cross-signing
 * @param createIndex the index at which the configuration was created
 * @param modifyIndex the index at which it last changed
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CaConfiguration(@JsonProperty("Provider") @Nullable String provider,
		@JsonProperty("Config") @Nullable Map<String, Object> config,
		@JsonProperty("State") @Nullable Map<String, String> state,
		@JsonProperty("ForceWithoutCrossSigning") boolean forceWithoutCrossSigning,
		@JsonProperty("CreateIndex") long createIndex, @JsonProperty("ModifyIndex") long modifyIndex) {

	public CaConfiguration {
		config = (config != null) ? new LinkedHashMap<>(config) : null;
	}

	@Override
	public String toString() {
		// The configuration may carry a PrivateKey: never render values.
		return "CaConfiguration[provider=" + this.provider + ", keys="
				+ ((this.config != null) ? this.config.keySet() : "[]") + "]";
	}

}
