package dev.connect.api;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The node of a health answer (Consul's {@code Node}).
 *
 * @param id the node ID (a UUID)
 * @param node the node name
 * @param address the node address
 * @param datacenter the datacenter
 * @param taggedAddresses {@code lan} and {@code wan} addresses
 * @param meta node metadata
 * @param createIndex the index at which the node was registered
 * @param modifyIndex the index at which it last changed
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Node(@JsonProperty("ID") String id, @JsonProperty("Node") String node,
		@JsonProperty("Address") String address, @JsonProperty("Datacenter") String datacenter,
		@JsonProperty("TaggedAddresses") Map<String, String> taggedAddresses,
		@JsonProperty("Meta") Map<String, String> meta, @JsonProperty("CreateIndex") long createIndex,
		@JsonProperty("ModifyIndex") long modifyIndex) {

}
