package dev.connect.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * A service registered with the local agent, as {@code GET /v1/agent/services} and
 * {@code GET /v1/agent/service/<id>} answer it (Consul's {@code AgentService}).
 *
 * @param kind {@code connect-proxy} for a sidecar proxy; omitted for a plain service
 * @param id the instance ID
 * @param service the service name
 * @param tags tags
 * @param meta metadata
 * @param port the port
 * @param address the address
 * @param weights SRV weights
 * @param enableTagOverride whether anti-entropy may change tags
 * @param datacenter the agent's datacenter
 * @param proxy the proxy block; omitted unless a proxy
 * @param connect the Connect block; omitted unless set
 * @param contentHash a hash of the content, only on the single-service endpoint
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentService(@JsonProperty("Kind") @JsonInclude(JsonInclude.Include.NON_EMPTY) @Nullable String kind,
		@JsonProperty("ID") String id, @JsonProperty("Service") String service,
		@JsonProperty("Tags") List<String> tags, @JsonProperty("Meta") Map<String, String> meta,
		@JsonProperty("Port") int port, @JsonProperty("Address") String address,
		@JsonProperty("Weights") Weights weights, @JsonProperty("EnableTagOverride") boolean enableTagOverride,
		@JsonProperty("Datacenter") String datacenter,
		@JsonProperty("Proxy") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable ConnectProxyConfig proxy,
		@JsonProperty("Connect") @JsonInclude(JsonInclude.Include.NON_EMPTY) @Nullable Map<String, Object> connect,
		@JsonProperty("ContentHash") @JsonInclude(JsonInclude.Include.NON_EMPTY) @Nullable String contentHash) {

}
