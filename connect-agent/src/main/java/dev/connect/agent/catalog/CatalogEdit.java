package dev.connect.agent.catalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.connect.api.ServiceRegistration;
import org.jspecify.annotations.Nullable;

/**
 * One write to the catalog, made on copies of a snapshot: it stamps what it stores with its index, and records the
 * index keys of every instance it touches and the checks it adds or removes. Instances and registrations are
 * copied on their first change only, so a status change copies the checks alone.
 */
final class CatalogEdit {

	private final CatalogSnapshot base;

	private final long index;

	private final Map<String, CheckState> checks;

	private @Nullable Map<String, ServiceInstance> services;

	private @Nullable Map<String, ServiceRegistration> registrations;

	private final Set<String> keys = new LinkedHashSet<>();

	private final List<CheckState> added = new ArrayList<>();

	private final List<String> removed = new ArrayList<>();

	CatalogEdit(CatalogSnapshot base, long index) {
		this.base = base;
		this.index = index;
		this.checks = new LinkedHashMap<>(base.checks());
	}

	long index() {
		return this.index;
	}

	/** Stores an instance; one that replaces an instance of the same ID keeps its create index. */
	void putInstance(ServiceInstance instance) {
		ServiceInstance previous = services().get(instance.id());
		touch(previous);
		ServiceInstance stored = instance.withIndexes((previous != null) ? previous.createIndex() : this.index,
				this.index);
		changedServices().put(stored.id(), stored);
		touch(stored);
	}

	/** Removes an instance and its checks. */
	void removeInstance(ServiceInstance instance) {
		changedServices().remove(instance.id());
		touch(instance);
		removeChecksOf(instance.id());
	}

	void removeChecksOf(String serviceId) {
		this.checks.values().removeIf((check) -> {
			boolean drop = check.serviceId().equals(serviceId);
			if (drop) {
				this.removed.add(check.checkId());
			}
			return drop;
		});
	}

	/**
	 * Stores a registered check; one that replaces a check of the same ID keeps its status, output and create
	 * index, so that registering again does not reset health.
	 */
	void putCheck(CheckState check) {
		CheckState previous = this.checks.get(check.checkId());
		CheckState stored = (previous != null)
				? check.withResult(previous.status(), previous.output(), previous.criticalSince())
					.withIndexes(previous.createIndex(), this.index)
				: check.withIndexes(this.index, this.index);
		this.checks.put(stored.checkId(), stored);
		this.added.add(stored);
	}

	/** Adds or removes a check the agent makes for an instance (maintenance), waking the instance's watchers. */
	void putServiceCheck(CheckState check, boolean present) {
		if (present) {
			putCheck(check);
		}
		else if (this.checks.remove(check.checkId()) != null) {
			this.removed.add(check.checkId());
		}
		touch(services().get(check.serviceId()));
	}

	/** Records a result of a check at {@code now}. */
	void putResult(CheckState check, String status, String output, Instant now) {
		this.checks.put(check.checkId(), check.recorded(status, output, now, this.index));
		touch(services().get(check.serviceId()));
	}

	void putRegistration(String serviceId, ServiceRegistration registration) {
		changedRegistrations().put(serviceId, registration);
	}

	void removeRegistration(String serviceId) {
		changedRegistrations().remove(serviceId);
	}

	/**
	 * Returns the snapshot this edit makes, alias checks refreshed at {@code now}.
	 * @param now the time alias checks that change record
	 * @return the new snapshot
	 */
	CatalogSnapshot snapshot(Instant now) {
		Map<String, ServiceInstance> services = (this.services != null) ? Map.copyOf(this.services)
				: this.base.services();
		Map<String, ServiceRegistration> registrations = (this.registrations != null)
				? Map.copyOf(this.registrations) : this.base.registrations();
		return new CatalogSnapshot(services,
				CheckStatuses.refreshAliases(Map.copyOf(this.checks), services, this.index, now), registrations);
	}

	/** Touches the instances whose alias checks the snapshot changed, so that their watchers wake too. */
	void touchAliasesChangedIn(CatalogSnapshot next) {
		for (CheckState check : next.checks().values()) {
			if (check.modifyIndex() == this.index && check.isAlias()) {
				touch(next.services().get(check.serviceId()));
			}
		}
	}

	/** The keys {@code svc:<name>} and {@code connect:<service>} of every instance touched. */
	Set<String> keys() {
		return this.keys;
	}

	Catalog.Change change() {
		return new Catalog.Change(List.copyOf(this.added), List.copyOf(this.removed));
	}

	private void touch(@Nullable ServiceInstance instance) {
		if (instance != null) {
			this.keys.add("svc:" + instance.name());
			String connect = instance.connectService();
			if (connect != null) {
				this.keys.add("connect:" + connect);
			}
		}
	}

	private Map<String, ServiceInstance> services() {
		return (this.services != null) ? this.services : this.base.services();
	}

	private Map<String, ServiceInstance> changedServices() {
		if (this.services == null) {
			this.services = new LinkedHashMap<>(this.base.services());
		}
		return this.services;
	}

	private Map<String, ServiceRegistration> changedRegistrations() {
		if (this.registrations == null) {
			this.registrations = new LinkedHashMap<>(this.base.registrations());
		}
		return this.registrations;
	}

}
