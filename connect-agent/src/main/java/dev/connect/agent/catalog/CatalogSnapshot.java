package dev.connect.agent.catalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import dev.connect.api.ServiceRegistration;

/**
 * The catalog at one index: every read sees one snapshot, and every write publishes a new one.
 *
 * @param services the instances by ID
 * @param checks the checks by ID
 * @param registrations the registration bodies the data directory keeps, by instance ID
 */
record CatalogSnapshot(Map<String, ServiceInstance> services, Map<String, CheckState> checks,
		Map<String, ServiceRegistration> registrations) {

	static final CatalogSnapshot EMPTY = new CatalogSnapshot(Map.of(), Map.of(), Map.of());

	/**
	 * Returns the instances of a service with their checks sorted by ID, sorted by instance ID.
	 * @param name the service name
	 * @param connect {@code true} for the instances that carry its Connect traffic, {@code false} for those named so
	 */
	List<Catalog.Entry> entries(String name, boolean connect) {
		List<Catalog.Entry> entries = new ArrayList<>();
		for (ServiceInstance instance : this.services.values()) {
			boolean matches = connect ? name.equals(instance.connectService()) : name.equals(instance.name());
			if (matches) {
				entries.add(new Catalog.Entry(null, instance, checksOf(instance.id())));
			}
		}
		entries.sort(Comparator.comparing((Catalog.Entry entry) -> entry.service().id()));
		return List.copyOf(entries);
	}

	private List<CheckState> checksOf(String serviceId) {
		return this.checks.values()
			.stream()
			.filter((check) -> check.serviceId().equals(serviceId))
			.sorted(Comparator.comparing(CheckState::checkId))
			.toList();
	}

}
