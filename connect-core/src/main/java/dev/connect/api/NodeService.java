package dev.connect.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * A service instance as health and catalog answers carry it ({@code Service} of a {@code ServiceEntry}; Consul's
 * {@code NodeService}). {@code Tags} and {@code Meta} are never {@code null}.
 *
 * @param kind {@code ""} or {@code connect-proxy}
 * @param id the instance ID
 * @param service the service name
 * @param tags tags
 * @param address the instance address, may be empty (then clients use the node address)
 * @param meta metadata
 * @param port the port
 * @param weights SRV weights
 * @param enableTagOverride whether anti-entropy may change tags
 * @param proxy the proxy block of a sidecar proxy; omitted otherwise
 * @param connect the Connect block; empty unless Connect-native
 * @param createIndex the index at which the instance was registered
 * @param modifyIndex the index at which it last changed
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeService(@JsonProperty("Kind") String kind, @JsonProperty("ID") String id,
		@JsonProperty("Service") String service, @JsonProperty("Tags") List<String> tags,
		@JsonProperty("Address") String address, @JsonProperty("Meta") Map<String, String> meta,
		@JsonProperty("Port") int port, @JsonProperty("Weights") Weights weights,
		@JsonProperty("EnableTagOverride") boolean enableTagOverride,
		@JsonProperty("Proxy") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable ConnectProxyConfig proxy,
		@JsonProperty("Connect") Map<String, Object> connect, @JsonProperty("CreateIndex") long createIndex,
		@JsonProperty("ModifyIndex") long modifyIndex) {

	public NodeService {
		tags = (tags != null) ? List.copyOf(tags) : List.of();
		meta = (meta != null) ? Map.copyOf(meta) : Map.of();
		connect = (connect != null) ? connect : Map.of();
	}

	/**
	 * Returns whether this instance is Connect-native.
	 * @return {@code true} if {@code Connect.Native} is set
	 */
	public boolean connectNative() {
		return Boolean.TRUE.equals(this.connect.get("Native"));
	}

}
