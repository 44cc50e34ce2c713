package dev.connect.agent.catalog;

import java.util.Map;

/**
 * A node registered through {@code /v1/catalog/register}, with its services and checks. The agent runs none of its
 * checks and never changes it by itself: it stays as its writers leave it, as Consul's anti-entropy leaves nodes
 * that no agent runs.
 *
 * @param id the node ID, or {@code ""}
 * @param name the node name
 * @param address the node address
 * @param taggedAddresses the tagged addresses
 * @param meta the node metadata
 * @param services the services on the node, by ID
 * @param checks the node's checks (empty service ID) and its services' checks, by check ID
 * @param createIndex the index at which the node was registered
 * @param modifyIndex the index at which the node itself last changed
 */
public record ExternalNode(String id, String name, String address, Map<String, String> taggedAddresses,
		Map<String, String> meta, Map<String, ServiceInstance> services, Map<String, CheckState> checks,
		long createIndex, long modifyIndex) {

	public ExternalNode {
		taggedAddresses = Map.copyOf(taggedAddresses);
		meta = Map.copyOf(meta);
		services = Map.copyOf(services);
		checks = Map.copyOf(checks);
	}

}
