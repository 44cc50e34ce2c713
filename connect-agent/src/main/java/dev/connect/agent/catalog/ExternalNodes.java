package dev.connect.agent.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import dev.connect.agent.index.ChangeIndex;
import dev.connect.agent.index.Topic;
import dev.connect.api.HealthCheck;
import org.jspecify.annotations.Nullable;

/**
 * The nodes registered through {@code /v1/catalog/register}, as Consul's state store applies a
 * {@code RegisterRequest} and a {@code DeregisterRequest}: the node first (unless {@code SkipNodeUpdate}), then its
 * service, then its checks; a check without a status is critical. Each write gets one new index; nothing changes
 * when a write is refused. The agent's own node is not among them: its services belong to the agent API.
 */
public final class ExternalNodes {

	static final String OWN_NODE = "Node '%s' is the dev agent's own node, whose services and checks are "
			+ "registered through /v1/agent/service/register and /v1/agent/check/register: use another node name";

	private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
			+ "[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

	private final String agentNode;

	private final ChangeIndex changes;

	/**
	 * The catalog's lock: the agent's own writes and these take their indexes and publish them in one order, or an
	 * index published out of order would not advance the catalog's and the data directory would miss a change.
	 */
	private final Object lock;

	private volatile Map<String, ExternalNode> nodes = Map.of();

	ExternalNodes(String agentNode, ChangeIndex changes, Object lock) {
		this.agentNode = agentNode;
		this.changes = changes;
		this.lock = lock;
	}

	/**
	 * Returns the nodes registered through the catalog API.
	 * @return the nodes by name, sorted by name
	 */
	public Map<String, ExternalNode> nodes() {
		return this.nodes;
	}

	/**
	 * Registers a node other than the agent's, with a service and checks ({@code PUT /v1/catalog/register}), and
	 * wakes the watchers of the catalog and of the services it touched.
	 * @param request the request
	 * @throws InvalidRegistrationException with Consul's message when refused; nothing changed then
	 */
	public void register(ExternalRegistration request) {
		synchronized (this.lock) {
			long index = this.changes.next();
			publish(apply(request, index), index);
		}
	}

	/**
	 * Removes a node, or one of its services or checks ({@code PUT /v1/catalog/deregister}): the whole node when
	 * neither a service nor a check is named. Unknown names change nothing, as in Consul.
	 * @param nodeName the node name
	 * @param serviceId the service ID, or {@code ""}
	 * @param checkId the check ID, or {@code ""}
	 * @throws InvalidRegistrationException with Consul's message when refused
	 */
	public void deregister(String nodeName, String serviceId, String checkId) {
		synchronized (this.lock) {
			long index = this.changes.next();
			publish(remove(nodeName, serviceId, checkId), index);
		}
	}

	private void publish(@Nullable Set<String> keys, long index) {
		if (keys != null) {
			this.changes.publish(Topic.CATALOG, "", index);
			keys.forEach((key) -> this.changes.publish(Topic.CATALOG, key, index));
		}
	}

	/** Applies a registration at {@code index}; returns the index keys to wake, or {@code null} for no change. */
	private @Nullable Set<String> apply(ExternalRegistration request, long index) {
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
			ServiceInstance service = ExternalRecords.service(request.service());
			ServiceInstance previous = services.get(service.id());
			touch(keys, previous);
			service = service.withIndexes((previous != null) ? previous.createIndex() : index, index);
			services.put(service.id(), service);
			touch(keys, service);
		}
		Map<String, CheckState> stored = new LinkedHashMap<>(node.checks());
		for (HealthCheck check : checks) {
			CheckState state = ExternalRecords.check(check, name, services, stored.get(ExternalRecords.checkId(check)), index);
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

	/** Applies a deregistration; returns the index keys to wake, or {@code null} for no change. */
	private @Nullable Set<String> remove(String nodeName, String serviceId, String checkId) {
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

	/** The instances of a service on the external nodes, by node name then ID, each with its checks. */
	List<Catalog.Entry> entries(String name, boolean connect) {
		List<Catalog.Entry> entries = new ArrayList<>();
		for (ExternalNode node : this.nodes.values()) {
			node.services().values().stream().filter((instance) -> Catalog.matches(instance, name, connect))
				.sorted(Comparator.comparing(ServiceInstance::id))
				.forEach((instance) -> entries.add(new Catalog.Entry(node, instance, node.checks().values().stream()
					.filter((check) -> check.serviceId().equals(instance.id()))
					.sorted(Comparator.comparing(CheckState::checkId)).toList())));
		}
		return entries;
	}

	/**
	 * Returns the nodes as registrations that make them again: per node one with its own checks, then one per
	 * service with the service's checks (what the data directory keeps).
	 * @return the registrations
	 */
	public List<ExternalRegistration> registrations() {
		List<ExternalRegistration> all = new ArrayList<>();
		for (ExternalNode node : this.nodes.values()) {
			all.add(new ExternalRegistration(node.id(), node.name(), node.address(), null, node.taggedAddresses(),
					node.meta(), null, null, ExternalRecords.checksOf(node, ""), false));
			node.services().values().stream().sorted(Comparator.comparing(ServiceInstance::id)).forEach(
					(service) -> all.add(new ExternalRegistration(null, node.name(), null, null, null, null,
							ExternalRecords.agentService(service), null,
							ExternalRecords.checksOf(node, service.id()), true)));
		}
		return all;
	}

	private void validateNode(ExternalRegistration request, String name) {
		if (name.isEmpty()) {
			throw new InvalidRegistrationException("Must provide node");
		}
		String address = ExternalRecords.orEmpty(request.address());
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
		String address = ExternalRecords.orEmpty(request.address());
		Map<String, String> tagged = (request.taggedAddresses() != null) ? request.taggedAddresses() : Map.of();
		Map<String, String> meta = (request.nodeMeta() != null) ? request.nodeMeta() : Map.of();
		if (current == null) {
			return new ExternalNode(id, request.nodeName(), address, tagged, meta, Map.of(), Map.of(), index, index);
		}
		return new ExternalNode(id, current.name(), address, tagged, meta, current.services(), current.checks(),
				current.createIndex(), index);
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


}
