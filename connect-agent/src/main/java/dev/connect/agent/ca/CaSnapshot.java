package dev.connect.agent.ca;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Everything needed to bring a CA back after a restart: cluster id, settings, every trusted root with its key, and
 * the last serial handed out. It holds private keys: it is written only to the agent's data directory, never
 * served.
 *
 * @param clusterId the cluster id (the trust domain's first part)
 * @param config the settings
 * @param roots every trusted root, oldest first
 * @param lastSerial the last serial number issued
 * @param provider the active provider's name, {@code null} (the built-in {@code consul}) in files written before
 * providers were kept
 * @param providerConfig the active provider's settings as configured, secrets included where the provider needs
 * them to resume after a restart (a Vault {@code Token}); never logged
 */
public record CaSnapshot(UUID clusterId, CaConfig config, List<Root> roots, long lastSerial,
		@Nullable String provider, @Nullable Map<String, Object> providerConfig) {

	public CaSnapshot {
		Objects.requireNonNull(clusterId, "'clusterId' must not be null");
		Objects.requireNonNull(config, "'config' must not be null");
		roots = List.copyOf(roots);
		providerConfig = (providerConfig != null) ? new ProviderConfig("-", providerConfig, false).config() : null;
	}

	/**
	 * A snapshot of the built-in provider.
	 * @param clusterId the cluster id
	 * @param config the settings
	 * @param roots every trusted root, oldest first
	 * @param lastSerial the last serial number issued
	 */
	public CaSnapshot(UUID clusterId, CaConfig config, List<Root> roots, long lastSerial) {
		this(clusterId, config, roots, lastSerial, null, null);
	}

	/** The provider to resume, the built-in one for files written before providers were kept. */
	ProviderConfig providerSettings() {
		return (this.provider != null)
				? new ProviderConfig(this.provider, (this.providerConfig != null) ? this.providerConfig : Map.of(),
						false)
				: ProviderConfig.builtIn();
	}

	@Override
	public String toString() {
		return "CaSnapshot[clusterId=" + this.clusterId + ", provider=" + this.provider + ", roots=" + this.roots.size()
				+ "]";
	}

	/**
	 * One root and its key, in PEM.
	 * @param certificatePem the root certificate
	 * @param privateKeyPem the root key (PKCS#8), or {@code null} when the provider holds it (Vault)
	 * @param intermediatePems the root's intermediates (its cross-signed certificate)
	 * @param active whether it signs leaves
	 * @param rotatedOutAt when it stopped being active, or {@code null}
	 */
	public record Root(String certificatePem, @Nullable String privateKeyPem, List<String> intermediatePems, boolean active,
			@Nullable Instant rotatedOutAt) {

		@Override
		public String toString() {
			return "Root[active=" + this.active + "]";
		}

	}

}
