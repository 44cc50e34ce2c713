package dev.connect.agent.catalog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import dev.connect.api.AgentService;
import dev.connect.api.HealthCheck;
import dev.connect.api.Weights;
import org.jspecify.annotations.Nullable;

/**
 * The nodes registered through {@code /v1/catalog/register}, as Consul's state store applies a
 * {@code RegisterRequest} and a {@code DeregisterRequest}: the node first (unless {@code SkipNodeUpdate}), then its
 * service, then its checks; a check without a status is critical. Each write gets one new index; nothing changes
 * when a write is refused. The agent's own node is not among them: its services belong to the agent API.
 */
final class ExternalNodes {

	static final String OWN_NODE = "Node '%s' is the dev agent's own node, whose services and checks are "
			+ "registered through /v1/agent/service/register and /v1/agent/check/register: use another node name";

	private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
			+ "[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

	private static final Duration NO_TIMEOUT = Duration.ofSeconds(10);

	private final String agentNode;

	private volatile Map<String, ExternalNode> nodes = Map.of();

	ExternalNodes(String agentNode) {
		this.agentNode = agentNode;
	}

	/** The nodes, sorted by name. */
	Map<String, ExternalNode> nodes() {
		return this.nodes;
	}

	/**
	 * Applies a registration at {@code index}.
	 * @return the index keys of the services whose watchers must wake, or {@code null} when nothing changed
	 */
	@Nullable Set<String> register(ExternalRegistration request, long index) {
		String name = request.nodeName();
		validateNode(request, name);
		ExternalNode current = this.nodes.get(name);
		List<HealthCheck> checks = request.allChecks();
		if (current == null && request.skipNodeUpdate()) {
			if (request.service() != null || !checks.isEmpty()) {
				throw new InvalidRegistrationException("Missing node registration");
			}
			return null;
		}
		Set<String> keys = new LinkedHashSet<>();
		ExternalNode node = (current == null || !request.skipNodeUpdate()) ? updatedNode(request, current, index)
				: current;
		if (node != current) {
			node.services().values().forEach((service) -> touch(keys, service));
		}
		Map<String, ServiceInstance> services = new LinkedHashMap<>(node.services());
		if (request.service() != null) {
			ServiceInstance service = service(request.service());
			ServiceInstance previous = services.get(service.id());
			touch(keys, previous);
			service = service.withIndexes((previous != null) ? previous.createIndex() : index, index);
			services.put(service.id(), service);
			touch(keys, service);
		}
		Map<String, CheckState> stored = new LinkedHashMap<>(node.checks());
		for (HealthCheck check : checks) {
			CheckState state = check(check, name, services, stored.get(checkId(check)), index);
			stored.put(state.checkId(), state);
			if (state.serviceId().isEmpty()) {
				services.values().forEach((service) -> touch(keys, service));
			}
			touch(keys, services.get(state.serviceId()));
		}
		put(new ExternalNode(node.id(), name, node.address(), node.taggedAddresses(), node.meta(), services, stored,
				node.createIndex(), node.modifyIndex()));
		return keys;
	}

	/**
	 * Applies a deregistration: the whole node when neither a service nor a check is named, else the service (with
	 * its checks) and the check. Unknown names change nothing, as in Consul.
	 * @return the index keys of the services whose watchers must wake, or {@code null} when nothing changed
	 */
	@Nullable Set<String> deregister(String nodeName, String serviceId, String checkId) {
		if (nodeName.isEmpty()) {
			throw new InvalidRegistrationException("Must provide node");
		}
		refuseOwnNode(nodeName);
		ExternalNode node = this.nodes.get(nodeName);
		if (node == null) {
			return null;
		}
		Set<String> keys = new LinkedHashSet<>();
		if (serviceId.isEmpty() && checkId.isEmpty()) {
			node.services().values().forEach((service) -> touch(keys, service));
			Map<String, ExternalNode> next = new TreeMap<>(this.nodes);
			next.remove(nodeName);
			this.nodes = Collections.unmodifiableMap(next);
			return keys;
		}
		Map<String, ServiceInstance> services = new LinkedHashMap<>(node.services());
		Map<String, CheckState> checks = new LinkedHashMap<>(node.checks());
		ServiceInstance removed = serviceId.isEmpty() ? null : services.remove(serviceId);
		touch(keys, removed);
		if (removed != null) {
			checks.values().removeIf((check) -> check.serviceId().equals(serviceId));
		}
		CheckState check = checkId.isEmpty() ? null : checks.remove(checkId);
		if (check != null) {
			touch(keys, services.get(check.serviceId()));
			if (check.serviceId().isEmpty()) {
				services.values().forEach((service) -> touch(keys, service));
			}
		}
		if (removed == null && check == null) {
			return null;
		}
		put(new ExternalNode(node.id(), node.name(), node.address(), node.taggedAddresses(), node.meta(), services,
				checks, node.createIndex(), node.modifyIndex()));
		return keys;
	}

	/**
	 * Returns the nodes as registrations that make them again: per node one with its own checks, then one per
	 * service with the service's checks (what the data directory keeps).
	 */
	List<ExternalRegistration> registrations() {
		List<ExternalRegistration> all = new ArrayList<>();
		for (ExternalNode node : this.nodes.values()) {
			all.add(new ExternalRegistration(node.id(), node.name(), node.address(), null, node.taggedAddresses(),
					node.meta(), null, null, checksOf(node, ""), false));
			node.services().values().stream().sorted(java.util.Comparator.comparing(ServiceInstance::id)).forEach(
					(service) -> all.add(new ExternalRegistration(null, node.name(), null, null, null, null,
							agentService(service), null, checksOf(node, service.id()), true)));
		}
		return all;
	}

	private void validateNode(ExternalRegistration request, String name) {
		if (name.isEmpty()) {
			throw new InvalidRegistrationException("Must provide node");
		}
		String address = (request.address() != null) ? request.address() : "";
		if (address.isEmpty() && !request.skipNodeUpdate()) {
			throw new InvalidRegistrationException("Must provide address if SkipNodeUpdate is not set");
		}
		String id = (request.id() != null) ? request.id() : "";
		if (!id.isEmpty() && id.length() != 36) {
			throw new InvalidRegistrationException("Bad node ID: uuid string is wrong length");
		}
		if (!id.isEmpty() && !UUID.matcher(id).matches()) {
			throw new InvalidRegistrationException("Bad node ID: uuid is improperly formatted");
		}
		refuseOwnNode(name);
	}

	private void refuseOwnNode(String name) {
		if (name.equals(this.agentNode)) {
			throw new InvalidRegistrationException(String.format(OWN_NODE, name));
		}
	}

	private static ExternalNode updatedNode(ExternalRegistration request, @Nullable ExternalNode current, long index) {
		String id = (request.id() != null) ? request.id() : "";
		String address = (request.address() != null) ? request.address() : "";
		Map<String, String> tagged = (request.taggedAddresses() != null) ? request.taggedAddresses() : Map.of();
		Map<String, String> meta = (request.nodeMeta() != null) ? request.nodeMeta() : Map.of();
		if (current == null) {
			return new ExternalNode(id, request.nodeName(), address, tagged, meta, Map.of(), Map.of(), index, index);
		}
		return new ExternalNode(id, current.name(), address, tagged, meta, current.services(), current.checks(),
				current.createIndex(), index);
	}

	private static ServiceInstance service(AgentService service) {
		String name = (service.service() != null) ? service.service() : "";
		String id = (service.id() != null && !service.id().isEmpty()) ? service.id() : name;
		if (name.isEmpty()) {
			throw new InvalidRegistrationException(id.isEmpty() ? "Must provide service name"
					: "Must provide service name with ID");
		}
		String address = (service.address() != null) ? service.address() : "";
		if (address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]")) {
			throw new InvalidRegistrationException("Invalid service address");
		}
		String kind = (service.kind() != null) ? service.kind() : "";
		if (ServiceInstance.CONNECT_PROXY.equals(kind) && (service.proxy() == null
				|| service.proxy().destinationServiceName() == null
				|| service.proxy().destinationServiceName().isEmpty())) {
			throw new InvalidRegistrationException(
					"Proxy.DestinationServiceName must be non-empty for Connect proxy services");
		}
		boolean connectNative = service.connect() != null && Boolean.TRUE.equals(service.connect().get("Native"));
		return new ServiceInstance(id, name, kind, (service.tags() != null) ? service.tags() : List.of(), address,
				service.port(), (service.meta() != null) ? service.meta() : Map.of(),
				(service.weights() != null) ? service.weights() : Weights.DEFAULT, service.enableTagOverride(),
				service.proxy(), connectNative, null, 0, 0);
	}

	private static CheckState check(HealthCheck check, String node, Map<String, ServiceInstance> services,
			@Nullable CheckState previous, long index) {
		if (check.node() != null && !check.node().isEmpty() && !check.node().equals(node)) {
			throw new InvalidRegistrationException("Check node '" + check.node() + "' must be the registered node '"
					+ node + "': the dev agent registers checks on the request's node only");
		}
		String id = checkId(check);
		if (id.isEmpty()) {
			throw new InvalidRegistrationException("Must provide check ID or name");
		}
		String serviceId = (check.serviceId() != null) ? check.serviceId() : "";
		ServiceInstance service = services.get(serviceId);
		if (!serviceId.isEmpty() && service == null) {
			throw new InvalidRegistrationException("Missing service registration");
		}
		String status = (check.status() != null && !check.status().isEmpty()) ? check.status() : CheckState.CRITICAL;
		return new CheckState(id, orEmpty(check.name()), orEmpty(check.notes()), serviceId,
				(service != null) ? service.name() : "", orEmpty(check.type()), "", status, orEmpty(check.output()),
				null, null, NO_TIMEOUT, null, null, null, (previous != null) ? previous.createIndex() : index, index,
				false, "GET", Map.of(), "", "");
	}

	private static String checkId(HealthCheck check) {
		String id = orEmpty(check.checkId());
		return id.isEmpty() ? orEmpty(check.name()) : id;
	}

	private static List<HealthCheck> checksOf(ExternalNode node, String serviceId) {
		return node.checks()
			.values()
			.stream()
			.filter((check) -> check.serviceId().equals(serviceId))
			.sorted(java.util.Comparator.comparing(CheckState::checkId))
			.map((check) -> new HealthCheck(node.name(), check.checkId(), check.name(), check.status(), check.notes(),
					check.output(), check.serviceId(), check.serviceName(), List.of(), check.type(), 0, 0))
			.toList();
	}

	private static AgentService agentService(ServiceInstance service) {
		return new AgentService(service.kind().isEmpty() ? null : service.kind(), service.id(), service.name(),
				service.tags(), service.meta(), service.port(), service.address(), service.weights(),
				service.enableTagOverride(), "", service.proxy(),
				service.connectNative() ? Map.of("Native", true) : null, null);
	}

	private void put(ExternalNode node) {
		Map<String, ExternalNode> next = new TreeMap<>(this.nodes);
		next.put(node.name(), node);
		this.nodes = Collections.unmodifiableMap(next);
	}

	private static void touch(Set<String> keys, @Nullable ServiceInstance service) {
		if (service != null) {
			keys.add("svc:" + service.name());
			String connect = service.connectService();
			if (connect != null) {
				keys.add("connect:" + connect);
			}
		}
	}

	private static String orEmpty(@Nullable String value) {
		return (value != null) ? value : "";
	}

}
