package dev.connect.agent.http;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import dev.connect.agent.catalog.Catalog;
import dev.connect.agent.catalog.CheckState;
import dev.connect.agent.catalog.ExternalNode;
import dev.connect.agent.catalog.ServiceInstance;
import dev.connect.api.AgentService;
import dev.connect.api.CatalogService;
import dev.connect.api.HealthCheck;
import dev.connect.api.Node;
import dev.connect.api.NodeService;

/**
 * Renders catalog state as Consul's JSON records.
 */
final class CatalogViews {

	private CatalogViews() {
	}

	static Node node(Catalog catalog) {
		Catalog.NodeInfo node = catalog.node();
		return new Node(node.id(), node.name(), node.address(), node.datacenter(),
				Map.of("lan", node.address(), "wan", node.address()), Map.of("consul-network-segment", ""),
				catalog.nodeIndex(), catalog.nodeIndex());
	}

	static Node node(ExternalNode node, String datacenter) {
		return new Node(node.id(), node.name(), node.address(), datacenter, node.taggedAddresses(), node.meta(),
				node.createIndex(), node.modifyIndex());
	}

	/** The node an entry runs on: the agent's, or an external one. */
	static Node node(Catalog catalog, Catalog.Entry entry) {
		return (entry.node() != null) ? node(entry.node(), catalog.node().datacenter()) : node(catalog);
	}

	/** The checks of an entry's node: the agent's {@code serfHealth}, or the external node's own checks. */
	static List<HealthCheck> nodeChecks(Catalog catalog, Catalog.Entry entry) {
		ExternalNode external = entry.node();
		if (external == null) {
			return List.of(serfHealth(catalog));
		}
		return external.checks()
			.values()
			.stream()
			.filter((check) -> check.serviceId().isEmpty())
			.sorted(java.util.Comparator.comparing(CheckState::checkId))
			.map((check) -> check(external, check))
			.toList();
	}

	/** A check of an external node, or of one of its services. */
	static HealthCheck check(ExternalNode node, CheckState check) {
		ServiceInstance service = node.services().get(check.serviceId());
		List<String> tags = (service != null) ? service.tags() : List.of();
		return new HealthCheck(node.name(), check.checkId(), check.name(), check.status(), check.notes(),
				check.output(), check.serviceId(), check.serviceName(), tags, check.type(), check.createIndex(),
				check.modifyIndex());
	}

	/** A check of an entry: on the agent's node or on an external one. */
	static HealthCheck check(Catalog catalog, Catalog.Entry entry, CheckState check) {
		return (entry.node() != null) ? check(entry.node(), check) : check(catalog, check);
	}

	static HealthCheck serfHealth(Catalog catalog) {
		return new HealthCheck(catalog.node().name(), "serfHealth", "Serf Health Status", "passing", "",
				"Agent alive and reachable", "", "", List.of(), "", catalog.nodeIndex(), catalog.nodeIndex());
	}

	static HealthCheck check(Catalog catalog, CheckState check) {
		List<String> tags = catalog.service(check.serviceId()).map(ServiceInstance::tags).orElse(List.of());
		return new HealthCheck(catalog.node().name(), check.checkId(), check.name(), check.status(), check.notes(),
				check.output(), check.serviceId(), check.serviceName(), tags, check.type(), check.createIndex(),
				check.modifyIndex());
	}

	static NodeService nodeService(ServiceInstance instance) {
		return new NodeService(instance.kind(), instance.id(), instance.name(), instance.tags(), instance.address(),
				instance.meta(), instance.port(), instance.weights(), instance.enableTagOverride(), instance.proxy(),
				connect(instance), instance.createIndex(), instance.modifyIndex());
	}

	static AgentService agentService(ServiceInstance instance, String datacenter) {
		return new AgentService(instance.kind(), instance.id(), instance.name(), instance.tags(), instance.meta(),
				instance.port(), instance.address(), instance.weights(), instance.enableTagOverride(), datacenter,
				instance.proxy(), connect(instance), null);
	}

	/** The single-service view: the service with the hash of its content without a hash. */
	static AgentService withContentHash(AgentService service, String contentHash) {
		return new AgentService(service.kind(), service.id(), service.service(), service.tags(), service.meta(),
				service.port(), service.address(), service.weights(), service.enableTagOverride(), service.datacenter(),
				service.proxy(), service.connect(), contentHash);
	}

	static CatalogService catalogService(Catalog catalog, ServiceInstance instance) {
		return catalogService(node(catalog), instance);
	}

	static CatalogService catalogService(Node node, ServiceInstance instance) {
		return new CatalogService(node.id(), node.node(), node.address(), node.datacenter(), node.taggedAddresses(),
				node.meta(), instance.kind(), instance.id(), instance.name(), instance.tags(), instance.address(),
				instance.weights(), instance.meta(), instance.port(), instance.enableTagOverride(), instance.proxy(),
				connect(instance), instance.createIndex(), instance.modifyIndex());
	}

	private static Map<String, Object> connect(ServiceInstance instance) {
		return instance.connectNative() ? Map.of("Native", true) : Map.of();
	}

	/** An opaque hash of the service's content, for hash-based blocking. */
	static String contentHash(AgentService service) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest(Json.write(service));
			return HexFormat.of().formatHex(digest, 0, 8);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
