package dev.connect.agent.ca;

import java.time.Instant;
import java.util.List;
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
 */
public record CaSnapshot(UUID clusterId, CaConfig config, List<Root> roots, long lastSerial) {

	public CaSnapshot {
		Objects.requireNonNull(clusterId, "'clusterId' must not be null");
		Objects.requireNonNull(config, "'config' must not be null");
		roots = List.copyOf(roots);
	}

	@Override
	public String toString() {
		return "CaSnapshot[clusterId=" + this.clusterId + ", roots=" + this.roots.size() + "]";
	}

	/**
	 * One root and its key, in PEM.
	 * @param certificatePem the root certificate
	 * @param privateKeyPem the root key (PKCS#8)
	 * @param intermediatePems the root's intermediates (its cross-signed certificate)
	 * @param active whether it signs leaves
	 * @param rotatedOutAt when it stopped being active, or {@code null}
	 */
	public record Root(String certificatePem, String privateKeyPem, List<String> intermediatePems, boolean active,
			@Nullable Instant rotatedOutAt) {

		@Override
		public String toString() {
			return "Root[active=" + this.active + "]";
		}

	}

}
