package dev.connect.agent.http;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import dev.connect.agent.catalog.Catalog;
import dev.connect.agent.catalog.CheckState;
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
		Node node = node(catalog);
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
