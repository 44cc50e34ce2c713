package dev.connect.agent.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.connect.agent.catalog.Catalog;
import dev.connect.agent.catalog.CheckState;
import dev.connect.agent.catalog.ExternalNode;
import dev.connect.agent.catalog.ServiceInstance;
import dev.connect.agent.index.BlockingQuery;
import dev.connect.agent.index.BlockingQuery.Watch;
import dev.connect.agent.index.QueryOptions;
import dev.connect.agent.index.Topic;
import dev.connect.api.AgentService;
import dev.connect.api.HealthCheck;
import dev.connect.api.Indexed;
import dev.connect.api.Node;
import dev.connect.api.NodeService;
import reactor.core.publisher.Mono;

/**
 * The node views: {@code /v1/agent/members}, {@code /v1/catalog/nodes}, {@code /v1/catalog/node/<node>} (blocking)
 * and the agent's aggregated health of a service, {@code /v1/agent/health/service/name/<name>} and
 * {@code /id/<id>}, answered 200, 429 or 503 for passing, warning or critical, as Consul's load balancer probes
 * expect. The nodes are the agent's and those registered through {@code /v1/catalog/register}.
 */
final class NodesHandler {

	/** Stands for Go's nil answer, which Jackson would not write as {@code null} from a map. */
	private static final Object NULL = new Object();

	private final Catalog catalog;

	private final BlockingQuery queries;

	private final Datacenter datacenter;

	NodesHandler(Catalog catalog, BlockingQuery queries, Datacenter datacenter) {
		this.catalog = catalog;
		this.queries = queries;
		this.datacenter = datacenter;
	}

	void register(Router router) {
		router.get("/v1/agent/members", this::members);
		router.get("/v1/catalog/nodes", this::nodes);
		router.get("/v1/catalog/node/", this::node);
		router.get("/v1/agent/health/service/name/", this::healthByName);
		router.get("/v1/agent/health/service/id/", this::healthById);
	}

	private Mono<Reply> members(Exchange exchange) {
		Catalog.NodeInfo node = this.catalog.node();
		Map<String, Object> member = new LinkedHashMap<>();
		member.put("Name", node.name());
		member.put("Addr", node.address());
		member.put("Port", 8301);
		member.put("Tags", Map.of("dc", node.datacenter(), "role", "consul", "id", node.id()));
		member.put("Status", 1);
		member.put("ProtocolMin", 1);
		member.put("ProtocolMax", 5);
		member.put("ProtocolCur", 2);
		member.put("DelegateMin", 2);
		member.put("DelegateMax", 5);
		member.put("DelegateCur", 4);
		return Mono.just(Reply.json(Json.write(List.of(member))));
	}

	private Mono<Reply> nodes(Exchange exchange) {
		QueryOptions options = BlockingParams.of(exchange);
		this.datacenter.route(exchange);
		return this.queries
			.run(options, QueryOptions.DEFAULT_WAIT, List.of(Watch.of(Topic.CATALOG)),
					() -> new Indexed<>(Math.max(this.catalog.index(), this.catalog.nodeIndex()), nodeList()))
			.map((nodes) -> Reply.json(Json.write(nodes.value())).indexed(nodes.index()));
	}

	/** An unknown node is {@code null}, as Consul answers when the state store has no such node. */
	private Mono<Reply> node(Exchange exchange) {
		String name = exchange.remainder();
		QueryOptions options = BlockingParams.of(exchange);
		this.datacenter.route(exchange);
		return this.queries.run(options, QueryOptions.DEFAULT_WAIT, List.of(Watch.of(Topic.CATALOG)), () -> {
			Object answer = name.equals(this.catalog.node().name()) ? nodeServices() : externalNode(name);
			return new Indexed<>(Math.max(this.catalog.index(), this.catalog.nodeIndex()), answer);
		}).map((node) -> Reply.json((node.value() == NULL) ? "null\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)
				: Json.write(node.value())).indexed(node.index()));
	}

	/** Sorted by name, as Consul's state store lists nodes. */
	private List<Node> nodeList() {
		List<Node> nodes = new ArrayList<>();
		nodes.add(CatalogViews.node(this.catalog));
		String datacenter = this.catalog.node().datacenter();
		this.catalog.external().nodes().values().forEach((node) -> nodes.add(CatalogViews.node(node, datacenter)));
		nodes.sort(Comparator.comparing(Node::node));
		return nodes;
	}

	private Object externalNode(String name) {
		ExternalNode node = this.catalog.external().nodes().get(name);
		if (node == null) {
			return NULL;
		}
		Map<String, NodeService> services = new LinkedHashMap<>();
		node.services()
			.values()
			.stream()
			.sorted(Comparator.comparing(ServiceInstance::id))
			.forEach((instance) -> services.put(instance.id(), CatalogViews.nodeService(instance)));
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("Node", CatalogViews.node(node, this.catalog.node().datacenter()));
		answer.put("Services", services);
		return answer;
	}

	private Map<String, Object> nodeServices() {
		Map<String, NodeService> services = new LinkedHashMap<>();
		this.catalog.services()
			.values()
			.stream()
			.sorted(Comparator.comparing(ServiceInstance::id))
			.forEach((instance) -> services.put(instance.id(), CatalogViews.nodeService(instance)));
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("Node", CatalogViews.node(this.catalog));
		answer.put("Services", services);
		return answer;
	}

	private Mono<Reply> healthById(Exchange exchange) {
		String id = exchange.remainder();
		ServiceInstance instance = this.catalog.service(id)
			.orElseThrow(() -> HttpError.notFound("ServiceId " + id + " not found"));
		ServiceHealth health = health(instance);
		return Mono.just(answer(exchange, health.status(), health.body()));
	}

	private Mono<Reply> healthByName(Exchange exchange) {
		String name = exchange.remainder();
		List<ServiceHealth> all = this.catalog.services()
			.values()
			.stream()
			.filter((instance) -> instance.name().equals(name))
			.sorted(Comparator.comparing(ServiceInstance::id))
			.map(this::health)
			.toList();
		if (all.isEmpty()) {
			throw HttpError.notFound("ServiceName " + name + " Not Found");
		}
		String worst = all.stream().map(ServiceHealth::status).reduce("passing", NodesHandler::worse);
		return Mono.just(answer(exchange, worst, all.stream().map(ServiceHealth::body).toList()));
	}

	private ServiceHealth health(ServiceInstance instance) {
		List<HealthCheck> checks = this.catalog.checks()
			.values()
			.stream()
			.filter((check) -> check.serviceId().equals(instance.id()))
			.sorted(Comparator.comparing(CheckState::checkId))
			.map((check) -> CatalogViews.check(this.catalog, check))
			.toList();
		String status = checks.stream()
			.map((check) -> check.checkId().startsWith("_service_maintenance:") ? "maintenance" : check.status())
			.reduce("passing", NodesHandler::worse);
		AgentService service = CatalogViews.agentService(instance, this.catalog.node().datacenter());
		Map<String, Object> health = new LinkedHashMap<>();
		health.put("AggregatedStatus", status);
		health.put("Service", service);
		health.put("Checks", checks);
		return new ServiceHealth(status, health);
	}

	private record ServiceHealth(String status, Map<String, Object> body) {
	}

	/** Consul's order of severity: maintenance, critical, warning, passing. */
	private static String worse(String a, String b) {
		List<String> order = List.of("passing", "warning", "critical", "maintenance");
		return (order.indexOf(a) >= order.indexOf(b)) ? a : b;
	}

	private static Reply answer(Exchange exchange, String status, Object body) {
		int code = switch (status) {
			case "passing" -> 200;
			case "warning" -> 429;
			default -> 503;
		};
		Reply reply = "text".equals(exchange.param("format")) ? Reply.text(code, status)
				: Reply.json(Json.write(body));
		return new Reply(code, reply.headers(), reply.body());
	}

}
