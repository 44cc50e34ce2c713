package dev.connect.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * One element of {@code GET /v1/catalog/service/<name>} and {@code /v1/catalog/connect/<name>}: node and service
 * fields side by side (Consul's {@code CatalogService}).
 *
 * @param id the node ID
 * @param node the node name
 * @param address the node address
 * @param datacenter the datacenter
 * @param taggedAddresses the node's tagged addresses
 * @param nodeMeta the node's metadata
 * @param serviceKind {@code ""} or {@code connect-proxy}
 * @param serviceId the instance ID
 * @param serviceName the service name
 * @param serviceTags the tags
 * @param serviceAddress the instance address, may be empty
 * @param serviceWeights the SRV weights
 * @param serviceMeta the metadata
 * @param servicePort the port
 * @param serviceEnableTagOverride whether anti-entropy may change tags
 * @param serviceProxy the proxy block, omitted unless a proxy
 * @param serviceConnect the Connect block
 * @param createIndex the index at which the instance was registered
 * @param modifyIndex the index at which it last changed
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CatalogService(@JsonProperty("ID") String id, @JsonProperty("Node") String node,
		@JsonProperty("Address") String address, @JsonProperty("Datacenter") String datacenter,
		@JsonProperty("TaggedAddresses") Map<String, String> taggedAddresses,
		@JsonProperty("NodeMeta") Map<String, String> nodeMeta, @JsonProperty("ServiceKind") String serviceKind,
		@JsonProperty("ServiceID") String serviceId, @JsonProperty("ServiceName") String serviceName,
		@JsonProperty("ServiceTags") List<String> serviceTags, @JsonProperty("ServiceAddress") String serviceAddress,
		@JsonProperty("ServiceWeights") Weights serviceWeights, @JsonProperty("ServiceMeta") Map<String, String> serviceMeta,
		@JsonProperty("ServicePort") int servicePort,
		@JsonProperty("ServiceEnableTagOverride") boolean serviceEnableTagOverride,
		@JsonProperty("ServiceProxy") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable ConnectProxyConfig serviceProxy,
		@JsonProperty("ServiceConnect") Map<String, Object> serviceConnect,
		@JsonProperty("CreateIndex") long createIndex, @JsonProperty("ModifyIndex") long modifyIndex) {

}
