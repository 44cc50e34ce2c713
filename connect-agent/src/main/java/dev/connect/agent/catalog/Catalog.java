package dev.connect.agent.catalog;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import dev.connect.agent.index.ChangeIndex;
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

	private volatile State state = new State(Map.of(), Map.of(), Map.of());

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
		State current = this.state;
		Registrations.Parsed parsed = Registrations.parse(registration, current.services().values(), now);
		long index = this.changes.next();
		Map<String, ServiceInstance> services = new LinkedHashMap<>(current.services());
		Map<String, CheckState> checks = new LinkedHashMap<>(current.checks());
		Set<String> keys = new LinkedHashSet<>();
		List<CheckState> added = new ArrayList<>();
		List<String> removed = new ArrayList<>();
		for (ServiceInstance instance : parsed.instances()) {
			ServiceInstance previous = services.get(instance.id());
			keys.addAll(keysOf(previous));
			ServiceInstance stored = instance.withIndexes((previous != null) ? previous.createIndex() : index, index);
			services.put(stored.id(), stored);
			keys.addAll(keysOf(stored));
			if (replaceExistingChecks) {
				checks.values().removeIf((check) -> {
					boolean drop = check.serviceId().equals(instance.id());
					if (drop) {
						removed.add(check.checkId());
					}
					return drop;
				});
			}
		}
		for (CheckState check : parsed.checks()) {
			CheckState previous = checks.get(check.checkId());
			CheckState stored = new CheckState(check.checkId(), check.name(), check.notes(), check.serviceId(),
					check.serviceName(), check.type(), check.target(),
					(previous != null) ? previous.status() : check.status(),
					(previous != null) ? previous.output() : check.output(), check.ttl(), check.interval(),
					check.timeout(), check.deregisterAfter(), check.ttlDeadline(),
					(previous != null) ? previous.criticalSince() : check.criticalSince(),
					(previous != null) ? previous.createIndex() : index, index, check.tlsSkipVerify());
			checks.put(stored.checkId(), stored);
			added.add(stored);
		}
		Map<String, ServiceRegistration> registrations = new LinkedHashMap<>(current.registrations());
		registrations.put(parsed.instances().get(0).id(), Registrations.withSidecarPort(registration, parsed));
		publish(new State(Map.copyOf(services), refreshAliases(Map.copyOf(checks), services, index),
				Map.copyOf(registrations)), keys, index);
		this.listener.accept(new Change(added, removed));
		return parsed.instances().stream().map(ServiceInstance::id).toList();
	}

	/**
	 * Removes an instance, its checks and its sidecar proxy; an unknown ID changes nothing.
	 * @param serviceId the instance ID
	 * @return whether an instance was removed
	 */
	public synchronized boolean deregister(String serviceId) {
		State current = this.state;
		if (!current.services().containsKey(serviceId)) {
			return false;
		}
		long index = this.changes.next();
		Map<String, ServiceInstance> services = new LinkedHashMap<>(current.services());
		Map<String, CheckState> checks = new LinkedHashMap<>(current.checks());
		Set<String> keys = new LinkedHashSet<>();
		List<String> removedChecks = new ArrayList<>();
		for (ServiceInstance instance : current.services().values()) {
			if (instance.id().equals(serviceId) || serviceId.equals(instance.parentId())) {
				services.remove(instance.id());
				keys.addAll(keysOf(instance));
				checks.values().removeIf((check) -> {
					boolean drop = check.serviceId().equals(instance.id());
					if (drop) {
						removedChecks.add(check.checkId());
					}
					return drop;
				});
			}
		}
		Map<String, ServiceRegistration> registrations = new LinkedHashMap<>(current.registrations());
		registrations.remove(serviceId);
		publish(new State(Map.copyOf(services), refreshAliases(Map.copyOf(checks), services, index),
				Map.copyOf(registrations)), keys, index);
		this.listener.accept(new Change(List.of(), removedChecks));
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
			if (ttlExpired(check, now)) {
				expired.add(check.checkId());
			}
		}
		if (!expired.isEmpty()) {
			expire(expired, now);
		}
		for (CheckState check : this.state.checks().values()) {
			if (check.deregisterAfter() != null && check.criticalSince() != null
					&& !now.isBefore(check.criticalSince().plus(check.deregisterAfter()))) {
				deregister(check.serviceId());
			}
		}
	}

	private static boolean ttlExpired(@Nullable CheckState check, Instant now) {
		return check != null && check.isTtl() && check.ttlDeadline() != null && now.isAfter(check.ttlDeadline())
				&& !CheckState.CRITICAL.equals(check.status());
	}

	/**
	 * Turns every expired TTL check critical in one change: one copy of the state and one new index however many
	 * expire together (one change per check made the agent copy its whole state once per check, so that 10,000
	 * checks expiring together took it minutes, holding the lock).
	 */
	private synchronized void expire(List<String> checkIds, Instant now) {
		State current = this.state;
		Map<String, CheckState> checks = new LinkedHashMap<>(current.checks());
		Set<String> keys = new LinkedHashSet<>();
		long index = 0;
		for (String checkId : checkIds) {
			CheckState check = checks.get(checkId);
			if (ttlExpired(check, now)) {
				if (index == 0) {
					index = this.changes.next();
				}
				checks.put(checkId, check.withStatus(CheckState.CRITICAL, "TTL expired", now, index));
				keys.addAll(keysOf(current.services().get(check.serviceId())));
			}
		}
		if (index == 0) {
			return;
		}
		Map<String, CheckState> refreshed = refreshAliases(Map.copyOf(checks), current.services(), index);
		for (CheckState alias : refreshed.values()) {
			if (alias.modifyIndex() == index && "alias".equals(alias.type())) {
				keys.addAll(keysOf(current.services().get(alias.serviceId())));
			}
		}
		publish(new State(current.services(), refreshed, current.registrations()), keys, index);
	}

	private void setStatus(CheckState check, String status, String output) {
		if (check.status().equals(status) && check.output().equals(output) && !check.isTtl()) {
			return;
		}
		State current = this.state;
		long index = this.changes.next();
		Map<String, CheckState> checks = new LinkedHashMap<>(current.checks());
		checks.put(check.checkId(), check.withStatus(status, output, this.clock.instant(), index));
		ServiceInstance service = current.services().get(check.serviceId());
		Set<String> keys = new LinkedHashSet<>(keysOf(service));
		Map<String, CheckState> refreshed = refreshAliases(Map.copyOf(checks), current.services(), index);
		for (CheckState alias : refreshed.values()) {
			if (alias.modifyIndex() == index && !alias.checkId().equals(check.checkId())) {
				keys.addAll(keysOf(current.services().get(alias.serviceId())));
			}
		}
		publish(new State(current.services(), refreshed, current.registrations()), keys, index);
	}

	/** An alias check mirrors the worst status of the instance it names (critical when that is gone). */
	private Map<String, CheckState> refreshAliases(Map<String, CheckState> checks, Map<String, ServiceInstance> services,
			long index) {
		Map<String, CheckState> result = new LinkedHashMap<>(checks);
		Instant now = this.clock.instant();
		for (CheckState check : checks.values()) {
			if (!"alias".equals(check.type())) {
				continue;
			}
			String status = services.containsKey(check.target()) ? worst(checks.values(), check.target())
					: CheckState.CRITICAL;
			String output = services.containsKey(check.target()) ? "All checks passing." : "Service not found";
			if (!status.equals(CheckState.PASSING)) {
				output = "Aliased service has checks that are not passing";
			}
			if (!status.equals(check.status()) || !output.equals(check.output())) {
				result.put(check.checkId(), check.withStatus(status, output, now, index));
			}
		}
		return Map.copyOf(result);
	}

	private static String worst(java.util.Collection<CheckState> checks, String serviceId) {
		String worst = CheckState.PASSING;
		for (CheckState check : checks) {
			if (check.serviceId().equals(serviceId) && !"alias".equals(check.type())) {
				if (CheckState.CRITICAL.equals(check.status())) {
					return CheckState.CRITICAL;
				}
				if (CheckState.WARNING.equals(check.status())) {
					worst = CheckState.WARNING;
				}
			}
		}
		return worst;
	}

	private void publish(State next, Set<String> keys, long index) {
		this.state = next;
		this.changes.publish(Topic.CATALOG, "", index);
		keys.forEach((key) -> this.changes.publish(Topic.CATALOG, key, index));
	}

	private static Set<String> keysOf(@Nullable ServiceInstance instance) {
		if (instance == null) {
			return Set.of();
		}
		String connect = instance.connectService();
		return (connect != null) ? Set.of("svc:" + instance.name(), "connect:" + connect)
				: Set.of("svc:" + instance.name());
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
		State current = this.state;
		String key = (connect ? "connect:" : "svc:") + name;
		List<Entry> entries = new ArrayList<>();
		for (ServiceInstance instance : current.services().values()) {
			boolean matches = connect ? name.equals(instance.connectService()) : name.equals(instance.name());
			if (matches) {
				List<CheckState> checks = current.checks()
					.values()
					.stream()
					.filter((check) -> check.serviceId().equals(instance.id()))
					.sorted(Comparator.comparing(CheckState::checkId))
					.toList();
				entries.add(new Entry(instance, checks));
			}
		}
		entries.sort(Comparator.comparing((Entry entry) -> entry.service().id()));
		return new Indexed<>(Math.max(this.changes.index(Topic.CATALOG, key), this.nodeIndex), List.copyOf(entries));
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
	 * @param service the instance
	 * @param checks its checks, sorted by ID
	 */
	public record Entry(ServiceInstance service, List<CheckState> checks) {
	}

	/**
	 * Checks added or replaced, and check IDs removed, by one write.
	 * @param added the new or replaced checks
	 * @param removed the removed check IDs
	 */
	public record Change(List<CheckState> added, List<String> removed) {
	}

	private record State(Map<String, ServiceInstance> services, Map<String, CheckState> checks,
			Map<String, ServiceRegistration> registrations) {
	}

}
