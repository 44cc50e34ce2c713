package dev.connect.agent.catalog;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
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

	/** Checks added through {@code /v1/agent/check/register}, by check ID: what the data directory keeps of them. */
	private volatile Map<String, CheckDefinition> addedChecks = Map.of();

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
		this.external = new ExternalNodes(node.name());
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
		forgetAddedChecks((id, definition) -> parsed.checks().stream().anyMatch((check) -> check.checkId().equals(id))
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
		forgetAddedChecks((id, definition) -> !this.state.checks().containsKey(id));
		this.listener.accept(edit.change());
		return true;
	}

	/**
	 * Adds a check to a registered instance, or replaces the check with its ID ({@code /v1/agent/check/register});
	 * the ID defaults to the name, as in Consul.
	 * @param definition the check, with its {@code ServiceID}
	 * @throws InvalidRegistrationException with Consul's text when refused
	 */
	public synchronized void registerCheck(CheckDefinition definition) {
		String name = (definition.name() != null) ? definition.name() : "";
		if (name.isEmpty()) {
			throw new InvalidRegistrationException("Missing check name");
		}
		String serviceId = (definition.serviceId() != null) ? definition.serviceId() : "";
		if (serviceId.isEmpty()) {
			throw new InvalidRegistrationException("ServiceID is required: the dev agent runs checks of services only, "
					+ "not of its node");
		}
		CatalogSnapshot current = this.state;
		ServiceInstance instance = current.services().get(serviceId);
		if (instance == null) {
			throw new InvalidRegistrationException("ServiceID \"" + serviceId + "\" does not exist");
		}
		CheckState check = CheckDefinitions.check(definition, name, instance, this.clock.instant());
		CatalogEdit edit = new CatalogEdit(current, this.changes.next());
		edit.putServiceCheck(check, true);
		publish(edit.snapshot(this.clock.instant()), edit);
		Map<String, CheckDefinition> added = new TreeMap<>(this.addedChecks);
		added.put(check.checkId(), definition);
		this.addedChecks = Collections.unmodifiableMap(added);
		this.listener.accept(edit.change());
	}

	/**
	 * Removes a check ({@code /v1/agent/check/deregister/<id>}); an unknown ID changes nothing.
	 * @param checkId the check ID
	 */
	public synchronized void deregisterCheck(String checkId) {
		CatalogSnapshot current = this.state;
		CheckState check = current.checks().get(checkId);
		if (check == null) {
			return;
		}
		CatalogEdit edit = new CatalogEdit(current, this.changes.next());
		edit.putServiceCheck(check, false);
		publish(edit.snapshot(this.clock.instant()), edit);
		forgetAddedChecks((id, definition) -> id.equals(checkId));
		this.listener.accept(edit.change());
	}

	private void forgetAddedChecks(java.util.function.BiPredicate<String, CheckDefinition> forget) {
		Map<String, CheckDefinition> added = new TreeMap<>(this.addedChecks);
		if (added.entrySet().removeIf((entry) -> forget.test(entry.getKey(), entry.getValue()))) {
			this.addedChecks = Collections.unmodifiableMap(added);
		}
	}

	/**
	 * Returns the checks added through {@code /v1/agent/check/register} that still exist, sorted by check ID, as
	 * they were defined: what the data directory keeps, for {@link #registerCheck} to add them again.
	 * @return the definitions
	 */
	public List<CheckDefinition> addedChecks() {
		return List.copyOf(this.addedChecks.values());
	}

	/**
	 * Returns the instances in maintenance mode with their reasons, by instance ID: what the data directory keeps,
	 * for {@link #maintenance} to enable again.
	 * @return the reasons (Consul's default text when none was given)
	 */
	public Map<String, String> maintenanceReasons() {
		Map<String, String> reasons = new TreeMap<>();
		this.state.checks()
			.values()
			.stream()
			.filter((check) -> check.checkId().startsWith(Maintenance.PREFIX))
			.forEach((check) -> reasons.put(check.serviceId(), check.notes()));
		return reasons;
	}

	/**
	 * Puts an instance in maintenance mode, or takes it out: Consul's critical {@code _service_maintenance:<id>}
	 * check, with the reason as its notes ({@code /v1/agent/service/maintenance/<id>}).
	 * @param serviceId the instance ID
	 * @param enable whether maintenance starts or ends
	 * @param reason the reason, or {@code ""} for Consul's default text
	 * @return {@code false} when no instance has the ID
	 */
	public synchronized boolean maintenance(String serviceId, boolean enable, String reason) {
		CatalogSnapshot current = this.state;
		ServiceInstance instance = current.services().get(serviceId);
		if (instance == null) {
			return false;
		}
		CheckState check = Maintenance.check(instance, reason, this.clock.instant());
		if (enable == current.checks().containsKey(check.checkId())) {
			return true;
		}
		CatalogEdit edit = new CatalogEdit(current, this.changes.next());
		edit.putServiceCheck(check, enable);
		publish(edit.snapshot(this.clock.instant()), edit);
		this.listener.accept(edit.change());
		return true;
	}

	/**
	 * Sets the status of a TTL check and restarts its TTL ({@code /v1/agent/check/pass|warn|fail|update}).
	 * @param checkId the check ID
	 * @param status {@code passing}, {@code warning} or {@code critical}
	 * @param output the new output
	 * @throws UnknownCheckException when the check does not exist
	 * @throws IllegalStateException when the check is not a TTL check
	 */
	public synchronized void updateTtl(String checkId, String status, String output) {
		CheckState check = this.state.checks().get(checkId);
		if (check == null) {
			throw new UnknownCheckException(checkId);
		}
		if (!check.isTtl()) {
			throw new IllegalStateException("CheckID \"" + checkId + "\" does not have associated TTL");
		}
		setStatus(check, status, output);
	}

	/**
	 * Records the result of a probe of an HTTP or TCP check; a result for a removed check is ignored.
	 * @param checkId the check ID
	 * @param status the status
	 * @param output the probe output
	 */
	public synchronized void recordProbe(String checkId, String status, String output) {
		CheckState check = this.state.checks().get(checkId);
		if (check != null && !check.isTtl()) {
			setStatus(check, status, output);
		}
	}

	/**
	 * Expires TTL checks that were not updated in time and removes instances whose checks stayed critical longer
	 * than their {@code DeregisterCriticalServiceAfter}.
	 */
	public void tick() {
		Instant now = this.clock.instant();
		List<String> expired = new ArrayList<>();
		for (CheckState check : this.state.checks().values()) {
			if (CheckStatuses.ttlExpired(check, now)) {
				expired.add(check.checkId());
			}
		}
		if (!expired.isEmpty()) {
			expire(expired, now);
		}
		for (CheckState check : this.state.checks().values()) {
			if (CheckStatuses.deregisterDue(check, now)) {
				deregister(check.serviceId());
			}
		}
	}

	/**
	 * Turns every expired TTL check critical in one change: one copy of the state and one new index however many
	 * expire together (one change per check made the agent copy its whole state once per check, so that 10,000
	 * checks expiring together took it minutes, holding the lock).
	 */
	private synchronized void expire(List<String> checkIds, Instant now) {
		CatalogSnapshot current = this.state;
		List<CheckState> expiring = new ArrayList<>();
		for (String checkId : checkIds) {
			CheckState check = current.checks().get(checkId);
			if (check != null && CheckStatuses.ttlExpired(check, now)) {
				expiring.add(check);
			}
		}
		if (expiring.isEmpty()) {
			return;
		}
		CatalogEdit edit = new CatalogEdit(current, this.changes.next());
		expiring.forEach((check) -> edit.putResult(check, CheckState.CRITICAL, "TTL expired", now));
		publishResults(edit);
	}

	private void setStatus(CheckState check, String status, String output) {
		if (!CheckStatuses.changes(check, status, output)) {
			return;
		}
		CatalogEdit edit = new CatalogEdit(this.state, this.changes.next());
		edit.putResult(check, status, output, this.clock.instant());
		publishResults(edit);
	}

	/** Check results wake the watchers of the aliases that mirror them as well. */
	private void publishResults(CatalogEdit edit) {
		CatalogSnapshot next = edit.snapshot(this.clock.instant());
		edit.touchAliasesChangedIn(next);
		publish(next, edit);
	}

	private void publish(CatalogSnapshot next, CatalogEdit edit) {
		this.state = next;
		this.changes.publish(Topic.CATALOG, "", edit.index());
		edit.keys().forEach((key) -> this.changes.publish(Topic.CATALOG, key, edit.index()));
	}

	/**
	 * Registers a node other than the agent's, with a service and checks ({@code PUT /v1/catalog/register}).
	 * @param registration the request
	 * @throws InvalidRegistrationException with Consul's message when refused
	 */
	public synchronized void registerExternal(ExternalRegistration registration) {
		long index = this.changes.next();
		Set<String> keys = this.external.register(registration, index);
		if (keys != null) {
			publishExternal(keys, index);
		}
	}

	/**
	 * Removes a node registered through the catalog API, or one of its services or checks
	 * ({@code PUT /v1/catalog/deregister}); unknown names change nothing.
	 * @param node the node name
	 * @param serviceId the service ID, or {@code ""}
	 * @param checkId the check ID, or {@code ""}
	 * @throws InvalidRegistrationException with Consul's message when refused
	 */
	public synchronized void deregisterExternal(String node, String serviceId, String checkId) {
		long index = this.changes.next();
		Set<String> keys = this.external.deregister(node, serviceId, checkId);
		if (keys != null) {
			publishExternal(keys, index);
		}
	}

	private void publishExternal(Set<String> keys, long index) {
		this.changes.publish(Topic.CATALOG, "", index);
		keys.forEach((key) -> this.changes.publish(Topic.CATALOG, key, index));
	}

	/**
	 * Returns the nodes registered through the catalog API, sorted by name.
	 * @return the nodes by name
	 */
	public Map<String, ExternalNode> externalNodes() {
		return this.external.nodes();
	}

	/**
	 * Returns the registrations that make the external nodes again: what the data directory keeps.
	 * @return the registrations
	 */
	public List<ExternalRegistration> externalRegistrations() {
		return this.external.registrations();
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
		for (ExternalNode external : this.external.nodes().values()) {
			external.services().values().stream().filter((instance) -> matches(instance, name, connect))
				.sorted(Comparator.comparing(ServiceInstance::id))
				.forEach((instance) -> entries.add(new Entry(external, instance, external.checks().values().stream()
					.filter((check) -> check.serviceId().equals(instance.id()))
					.sorted(Comparator.comparing(CheckState::checkId)).toList())));
		}
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
