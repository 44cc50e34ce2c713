package dev.connect.agent.catalog;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.connect.api.ConnectProxyConfig;
import dev.connect.api.Weights;
import org.jspecify.annotations.Nullable;

/**
 * A registered service instance.
 *
 * @param id the instance ID
 * @param name the service name
 * @param kind {@code ""} or {@code connect-proxy}
 * @param tags tags
 * @param address the address, may be empty
 * @param port the port
 * @param meta metadata
 * @param weights SRV weights
 * @param enableTagOverride whether anti-entropy may change tags
 * @param proxy the proxy block of a sidecar proxy
 * @param connectNative whether the instance is Connect-native
 * @param parentId the instance a sidecar proxy was registered with, removed together with it
 * @param createIndex the index at which it was registered
 * @param modifyIndex the index at which it last changed
 */
public record ServiceInstance(String id, String name, String kind, List<String> tags, String address, int port,
		Map<String, String> meta, Weights weights, boolean enableTagOverride, @Nullable ConnectProxyConfig proxy,
		boolean connectNative, @Nullable String parentId, long createIndex, long modifyIndex) {

	/** The kind of a sidecar proxy. */
	public static final String CONNECT_PROXY = "connect-proxy";

	public ServiceInstance {
		Objects.requireNonNull(id, "'id' must not be null");
		tags = List.copyOf(tags);
		meta = Map.copyOf(meta);
	}

	/**
	 * Returns the service whose Connect traffic this instance carries: its own name when Connect-native, the
	 * destination when a sidecar proxy, {@code null} otherwise (Consul's connect index).
	 * @return the Connect service name, or {@code null}
	 */
	public @Nullable String connectService() {
		if (this.connectNative) {
			return this.name;
		}
		if (CONNECT_PROXY.equals(this.kind) && this.proxy != null) {
			return this.proxy.destinationServiceName();
		}
		return null;
	}

	ServiceInstance withIndexes(long createIndex, long modifyIndex) {
		return new ServiceInstance(this.id, this.name, this.kind, this.tags, this.address, this.port, this.meta,
				this.weights, this.enableTagOverride, this.proxy, this.connectNative, this.parentId, createIndex,
				modifyIndex);
	}

}
