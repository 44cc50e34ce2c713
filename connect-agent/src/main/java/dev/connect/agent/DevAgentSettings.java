package dev.connect.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import dev.connect.agent.ca.CaConfig;
import org.jspecify.annotations.Nullable;

/**
 * How a dev agent runs. Start from {@link #defaults()} and change what you need with the {@code with*} methods.
 *
 * @param bindAddress the address the HTTP API binds, {@code 127.0.0.1} by default
 * @param httpPort the HTTP port, 8500 by default; 0 picks a free port
 * @param datacenter the datacenter, {@code dc1} by default
 * @param nodeName the node name, {@code dev-agent} by default
 * @param dataDir where state survives restarts, or {@code null} (the default) to keep everything in memory
 * @param defaultIntentionPolicy {@code deny} (the default) or {@code allow}: the decision when no intention
 * matches
 * @param aclManagementToken when set, every request must present this token; {@code null} by default
 * @param ca the CA settings, Consul's defaults unless changed
 * @param rootRotationJitter after a root change, each leaf is re-issued at a random point within this window
 * (Consul's 30 s by default); tests and demos shorten it
 */
public record DevAgentSettings(String bindAddress, int httpPort, String datacenter, String nodeName,
		@Nullable Path dataDir, String defaultIntentionPolicy, @Nullable String aclManagementToken, CaConfig ca,
		Duration rootRotationJitter) {

	public DevAgentSettings {
		Objects.requireNonNull(bindAddress, "'bindAddress' must not be null");
		Objects.requireNonNull(datacenter, "'datacenter' must not be null");
		Objects.requireNonNull(nodeName, "'nodeName' must not be null");
		Objects.requireNonNull(ca, "'ca' must not be null");
		Objects.requireNonNull(rootRotationJitter, "'rootRotationJitter' must not be null");
		if (rootRotationJitter.isNegative() || rootRotationJitter.isZero()
				|| rootRotationJitter.compareTo(Duration.ofSeconds(30)) > 0) {
			throw new IllegalArgumentException("Root rotation jitter '" + rootRotationJitter
					+ "' must be more than 0 and at most 30 s (Consul's window)");
		}
		if (httpPort < 0 || httpPort > 65535) {
			throw new IllegalArgumentException("HTTP port '" + httpPort + "' must be between 0 and 65535");
		}
		if (!"allow".equals(defaultIntentionPolicy) && !"deny".equals(defaultIntentionPolicy)) {
			throw new IllegalArgumentException(
					"Default intention policy '" + defaultIntentionPolicy + "' must be 'allow' or 'deny'");
		}
		if (aclManagementToken != null && aclManagementToken.isBlank()) {
			throw new IllegalArgumentException("ACL management token must not be blank when set");
		}
	}

	/**
	 * Returns the defaults: 127.0.0.1:8500, datacenter {@code dc1}, node {@code dev-agent}, in memory, intentions
	 * deny by default, no ACLs, Consul's CA defaults.
	 * @return the default settings
	 */
	public static DevAgentSettings defaults() {
		return new DevAgentSettings("127.0.0.1", 8500, "dc1", "dev-agent", null, "deny", null, CaConfig.defaults(),
				Duration.ofSeconds(30));
	}

	/**
	 * Returns a copy on another port.
	 * @param port the HTTP port, 0 for any free port
	 * @return the new settings
	 */
	public DevAgentSettings withHttpPort(int port) {
		return new DevAgentSettings(this.bindAddress, port, this.datacenter, this.nodeName, this.dataDir,
				this.defaultIntentionPolicy, this.aclManagementToken, this.ca, this.rootRotationJitter);
	}

	/**
	 * Returns a copy bound to another address.
	 * @param address the bind address
	 * @return the new settings
	 */
	public DevAgentSettings withBindAddress(String address) {
		return new DevAgentSettings(address, this.httpPort, this.datacenter, this.nodeName, this.dataDir,
				this.defaultIntentionPolicy, this.aclManagementToken, this.ca, this.rootRotationJitter);
	}

	/**
	 * Returns a copy in another datacenter.
	 * @param datacenter the datacenter
	 * @return the new settings
	 */
	public DevAgentSettings withDatacenter(String datacenter) {
		return new DevAgentSettings(this.bindAddress, this.httpPort, datacenter, this.nodeName, this.dataDir,
				this.defaultIntentionPolicy, this.aclManagementToken, this.ca, this.rootRotationJitter);
	}

	/**
	 * Returns a copy with another node name.
	 * @param nodeName the node name
	 * @return the new settings
	 */
	public DevAgentSettings withNodeName(String nodeName) {
		return new DevAgentSettings(this.bindAddress, this.httpPort, this.datacenter, nodeName, this.dataDir,
				this.defaultIntentionPolicy, this.aclManagementToken, this.ca, this.rootRotationJitter);
	}

	/**
	 * Returns a copy that keeps its state in a directory.
	 * @param dataDir the data directory, or {@code null} for memory only
	 * @return the new settings
	 */
	public DevAgentSettings withDataDir(@Nullable Path dataDir) {
		return new DevAgentSettings(this.bindAddress, this.httpPort, this.datacenter, this.nodeName, dataDir,
				this.defaultIntentionPolicy, this.aclManagementToken, this.ca, this.rootRotationJitter);
	}

	/**
	 * Returns a copy with another default intention policy.
	 * @param policy {@code allow} or {@code deny}
	 * @return the new settings
	 */
	public DevAgentSettings withDefaultIntentionPolicy(String policy) {
		return new DevAgentSettings(this.bindAddress, this.httpPort, this.datacenter, this.nodeName, this.dataDir,
				policy, this.aclManagementToken, this.ca, this.rootRotationJitter);
	}

	/**
	 * Returns a copy that requires a management token on every request.
	 * @param token the token, or {@code null} for no ACLs
	 * @return the new settings
	 */
	public DevAgentSettings withAclManagementToken(@Nullable String token) {
		return new DevAgentSettings(this.bindAddress, this.httpPort, this.datacenter, this.nodeName, this.dataDir,
				this.defaultIntentionPolicy, token, this.ca, this.rootRotationJitter);
	}

	/**
	 * Returns a copy with other CA settings.
	 * @param ca the CA settings
	 * @return the new settings
	 */
	public DevAgentSettings withCa(CaConfig ca) {
		return new DevAgentSettings(this.bindAddress, this.httpPort, this.datacenter, this.nodeName, this.dataDir,
				this.defaultIntentionPolicy, this.aclManagementToken, ca, this.rootRotationJitter);
	}

	/**
	 * Returns a copy with a shorter window for re-issuing leaves after a root change.
	 * @param jitter more than 0, at most 30 s
	 * @return the new settings
	 */
	public DevAgentSettings withRootRotationJitter(Duration jitter) {
		return new DevAgentSettings(this.bindAddress, this.httpPort, this.datacenter, this.nodeName, this.dataDir,
				this.defaultIntentionPolicy, this.aclManagementToken, this.ca, jitter);
	}

	@Override
	public String toString() {
		return "DevAgentSettings[bindAddress=" + this.bindAddress + ", httpPort=" + this.httpPort + ", datacenter="
				+ this.datacenter + ", nodeName=" + this.nodeName + ", dataDir=" + this.dataDir
				+ ", defaultIntentionPolicy=" + this.defaultIntentionPolicy + ", aclManagementToken="
				+ ((this.aclManagementToken != null) ? "<redacted>" : "none") + ", rootRotationJitter="
				+ this.rootRotationJitter + "]";
	}

}
