package dev.connect.agent.catalog;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

import dev.connect.agent.index.ChangeIndex;
import dev.connect.api.CheckDefinition;
import dev.connect.api.Indexed;
import dev.connect.agent.index.Topic;
import dev.connect.api.ServiceRegistration;
import org.jspecify.annotations.Nullable;

/**
 * The agent's services and checks, on one node (the agent itself, whose {@code serfHealth} check always passes).
 * Reads see an immutable snapshot. A write validates first and changes nothing when refused; then it publishes the
 * new snapshot and bumps {@link Topic#CATALOG} under the keys {@code svc:<name>} and {@code connect:<service>} of
 * every instance it touched, so that health and catalog queries wake only for their own service.
 * <p>
 * TTL checks turn critical when not updated in time, and an instance whose check stays critical longer than its
 * {@code DeregisterCriticalServiceAfter} is removed; both happen on {@link #tick()}.
 */
public final class Catalog {

	/** The node's own check, as a single-node Consul agent reports it. */
	static final String SERF_HEALTH = "serfHealth";

	private final ChangeIndex changes;

	private final Clock clock;

	private final NodeInfo node;

	private final long nodeIndex;

	private final ExternalNodes external;

	private final CheckResults results = new CheckResults(this);

	private final ServiceChecks serviceChecks = new ServiceChecks(this);

	private volatile CatalogSnapshot state = CatalogSnapshot.EMPTY;

	private volatile Consumer<Change> listener = (change) -> {
	};

	/**
	 * Creates an empty catalog for a node.
	 * @param changes the agent's change index
	 * @param clock the clock for TTLs and deregistration
	 * @param node the node the agent runs as
	 */
	public Catalog(ChangeIndex changes, Clock clock, NodeInfo node) {
		this.changes = Objects.requireNonNull(changes, "'changes' must not be null");
		this.clock = clock;
		this.node = node;
		this.nodeIndex = changes.bump(Topic.CATALOG, "");
		this.external = new ExternalNodes(node.name(), changes, this);
	}

	/**
	 * Sets the listener told about added and removed checks (the check runner).
	 * @param listener the listener
	 */
	public void onChecksChanged(Consumer<Change> listener) {
		this.listener = listener;
	}

	/**
	 * Returns the node.
	 * @return the node
	 */
	public NodeInfo node() {
		return this.node;
	}

	/**
	 * Returns the index at which the node was registered.
	 * @return the index
	 */
	public long nodeIndex() {
		return this.nodeIndex;
	}

	/**
	 * Registers or replaces an instance (and its sidecar) with its checks.
	 * @param registration the registration body
	 * @param replaceExistingChecks whether checks of the instance not in the body are removed
	 * @return the IDs of the registered instances
	 * @throws InvalidRegistrationException with Consul's message when refused
	 * @throws IllegalStateException when no sidecar port is left
	 */
	public synchronized List<String> register(ServiceRegistration registration, boolean replaceExistingChecks) {
		Instant now = this.clock.instant();
		CatalogSnapshot current = this.state;
		Registrations.Parsed parsed = Registrations.parse(registration, current.services().values(), now);
		CatalogEdit edit = new CatalogEdit(current, this.changes.next());
		for (ServiceInstance instance : parsed.instances()) {
			edit.putInstance(instance);
			if (replaceExistingChecks) {
				edit.removeChecksOf(instance.id());
			}
		}
		parsed.checks().forEach(edit::putCheck);
		edit.putRegistration(parsed.instances().get(0).id(), Registrations.withSidecarPort(registration, parsed));
		publish(edit.snapshot(this.clock.instant()), edit);
		List<String> ids = parsed.instances().stream().map(ServiceInstance::id).toList();
		this.serviceChecks.added().forget((id, definition) -> parsed.checks().stream().anyMatch((check) -> check.checkId().equals(id))
				|| (replaceExistingChecks && ids.contains(definition.serviceId())));
		this.listener.accept(edit.change());
		return parsed.instances().stream().map(ServiceInstance::id).toList();
	}

	/**
	 * Removes an instance, its checks and its sidecar proxy; an unknown ID changes nothing.
	 * @param serviceId the instance ID
	 * @return whether an instance was removed
	 */
	public synchronized boolean deregister(String serviceId) {
		CatalogSnapshot current = this.state;
		if (!current.services().containsKey(serviceId)) {
			return false;
		}
		CatalogEdit edit = new CatalogEdit(current, this.changes.next());
		for (ServiceInstance instance : current.services().values()) {
			if (instance.id().equals(serviceId) || serviceId.equals(instance.parentId())) {
				edit.removeInstance(instance);
			}
		}
		edit.removeRegistration(serviceId);
		publish(edit.snapshot(this.clock.instant()), edit);
		this.serviceChecks.added().forget((id, definition) -> !this.state.checks().containsKey(id));
		this.listener.accept(edit.change());
		return true;
	}

	/**
	 * Adds a check to a registered instance, or replaces the check with its ID ({@code /v1/agent/check/register});
	 * the ID defaults to the name, as in Consul.
	 * @param definition the check, with its {@code ServiceID}
	 * @throws InvalidRegistrationException with Consul's text when refused
	 */
	public void registerCheck(CheckDefinition definition) {
		this.serviceChecks.register(definition);
	}

	/**
	 * Removes a check ({@code /v1/agent/check/deregister/<id>}); an unknown ID changes nothing.
	 * @param checkId the check ID
	 */
	public void deregisterCheck(String checkId) {
		this.serviceChecks.deregister(checkId);
	}

	/**
	 * Returns the checks added through {@code /v1/agent/check/register} that still exist, sorted by check ID, as
	 * they were defined: what the data directory keeps, for {@link #registerCheck} to add them again.
	 * @return the definitions
	 */
	public List<CheckDefinition> addedChecks() {
		return this.serviceChecks.added().all();
	}

	/**
	 * Returns the instances in maintenance mode with their reasons, by instance ID: what the data directory keeps,
	 * for {@link #maintenance} to enable again.
	 * @return the reasons (Consul's default text when none was given)
	 */
	public Map<String, String> maintenanceReasons() {
		return Maintenance.reasons(this.state.checks().values());
	}

	/**
	 * Puts an instance in maintenance mode, or takes it out: Consul's critical {@code _service_maintenance:<id>}
	 * check, with the reason as its notes ({@code /v1/agent/service/maintenance/<id>}).
	 * @param serviceId the instance ID
	 * @param enable whether maintenance starts or ends
	 * @param reason the reason, or {@code ""} for Consul's default text
	 * @return {@code false} when no instance has the ID
	 */
	public boolean maintenance(String serviceId, boolean enable, String reason) {
		return this.serviceChecks.maintenance(serviceId, enable, reason);
	}

	/**
	 * Sets the status of a TTL check and restarts its TTL ({@code /v1/agent/check/pass|warn|fail|update}).
	 * @param checkId the check ID
	 * @param status {@code passing}, {@code warning} or {@code critical}
	 * @param output the new output
	 * @throws UnknownCheckException when the check does not exist
	 * @throws IllegalStateException when the check is not a TTL check
	 */
	public void updateTtl(String checkId, String status, String output) {
		this.results.updateTtl(checkId, status, output);
	}

	/**
	 * Records the result of a probe of an HTTP or TCP check; a result for a removed check is ignored.
	 * @param checkId the check ID
	 * @param status the status
	 * @param output the probe output
	 */
	public void recordProbe(String checkId, String status, String output) {
		this.results.recordProbe(checkId, status, output);
	}

	/**
	 * Expires TTL checks that were not updated in time and removes instances whose checks stayed critical longer
	 * than their {@code DeregisterCriticalServiceAfter}.
	 */
	public void tick() {
		this.results.tick();
	}

	CatalogSnapshot state() {
		return this.state;
	}

	long nextIndex() {
		return this.changes.next();
	}

	Instant now() {
		return this.clock.instant();
	}

	/** Makes a new state visible, then publishes its index: a query woken by the index finds the state. */
	Consumer<Change> listener() {
		return this.listener;
	}

	void publish(CatalogSnapshot next, CatalogEdit edit) {
		this.state = next;
		this.changes.publish(Topic.CATALOG, "", edit.index());
		edit.keys().forEach((key) -> this.changes.publish(Topic.CATALOG, key, edit.index()));
	}

	/**
	 * Returns the nodes registered through the catalog API, which the agent never changes by itself.
	 * @return the external nodes
	 */
	public ExternalNodes external() {
		return this.external;
	}

	/**
	 * Returns every instance by ID.
	 * @return the instances
	 */
	public Map<String, ServiceInstance> services() {
		return this.state.services();
	}

	/**
	 * Returns the registration bodies of the instances registered through the API (sidecars come with their
	 * parent, with the port the agent picked for them), by instance ID: what the data directory keeps.
	 * @return the registrations
	 */
	public Map<String, ServiceRegistration> registrations() {
		return this.state.registrations();
	}

	/**
	 * Returns every check by ID.
	 * @return the checks
	 */
	public Map<String, CheckState> checks() {
		return this.state.checks();
	}

	/**
	 * Returns one instance.
	 * @param serviceId the instance ID
	 * @return the instance, if registered
	 */
	public Optional<ServiceInstance> service(String serviceId) {
		return Optional.ofNullable(this.state.services().get(serviceId));
	}

	/**
	 * Returns the instances of a service with their checks, sorted by ID.
	 * @param name the service name
	 * @param connect {@code true} for the instances that carry Connect traffic for the service (native instances
	 * and sidecar proxies whose destination it is), {@code false} for the instances named so
	 * @return the entries and the index of the service's last change
	 */
	public Indexed<List<Entry>> health(String name, boolean connect) {
		String key = (connect ? "connect:" : "svc:") + name;
		List<Entry> entries = new ArrayList<>(this.state.entries(name, connect));
		entries.addAll(this.external.entries(name, connect));
		entries.sort(Comparator.comparing((Entry entry) -> (entry.node() != null) ? entry.node().name()
				: this.node.name()));
		return new Indexed<>(Math.max(this.changes.index(Topic.CATALOG, key), this.nodeIndex), entries);
	}

	static boolean matches(ServiceInstance instance, String name, boolean connect) {
		return connect ? name.equals(instance.connectService()) : name.equals(instance.name());
	}

	/**
	 * Returns the index of the last change anywhere in the catalog.
	 * @return the index
	 */
	public long index() {
		return this.changes.index(Topic.CATALOG, "");
	}

	/**
	 * The node the agent runs as.
	 * @param id the node ID
	 * @param name the node name
	 * @param address the node address
	 * @param datacenter the datacenter
	 */
	public record NodeInfo(String id, String name, String address, String datacenter) {
	}

	/**
	 * An instance and its checks.
	 * @param node the external node it runs on, or {@code null} for the agent's own node
	 * @param service the instance
	 * @param checks its checks, sorted by ID
	 */
	public record Entry(@Nullable ExternalNode node, ServiceInstance service, List<CheckState> checks) {
	}

	/**
	 * Checks added or replaced, and check IDs removed, by one write.
	 * @param added the new or replaced checks
	 * @param removed the removed check IDs
	 */
	public record Change(List<CheckState> added, List<String> removed) {
	}

}
