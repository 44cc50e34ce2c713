package dev.connect.agent.catalog;

import dev.connect.api.CheckDefinition;

/**
 * The checks the agent API adds to a registered instance: {@code /v1/agent/check/register} and
 * {@code /deregister}, and maintenance mode. Each write holds the catalog's lock, as the catalog's own writes do;
 * the checks added this way are remembered as defined, for the data directory.
 */
final class ServiceChecks {

	private final Catalog catalog;

	private final AddedChecks added = new AddedChecks();

	ServiceChecks(Catalog catalog) {
		this.catalog = catalog;
	}

	AddedChecks added() {
		return this.added;
	}

	void register(CheckDefinition definition) {
		synchronized (this.catalog) {
			String name = (definition.name() != null) ? definition.name() : "";
			if (name.isEmpty()) {
				throw new InvalidRegistrationException("Missing check name");
			}
			String serviceId = (definition.serviceId() != null) ? definition.serviceId() : "";
			if (serviceId.isEmpty()) {
				throw new InvalidRegistrationException(
						"ServiceID is required: the dev agent runs checks of services only, not of its node");
			}
			CatalogSnapshot current = this.catalog.state();
			ServiceInstance instance = current.services().get(serviceId);
			if (instance == null) {
				throw new InvalidRegistrationException("ServiceID \"" + serviceId + "\" does not exist");
			}
			CheckState check = CheckDefinitions.check(definition, name, instance, this.catalog.now());
			CatalogEdit edit = new CatalogEdit(current, this.catalog.nextIndex());
			edit.putServiceCheck(check, true);
			this.catalog.publish(edit.snapshot(this.catalog.now()), edit);
			this.added.put(check.checkId(), definition);
			this.catalog.listener().accept(edit.change());
		}
	}

	void deregister(String checkId) {
		synchronized (this.catalog) {
			CatalogSnapshot current = this.catalog.state();
			CheckState check = current.checks().get(checkId);
			if (check == null) {
				return;
			}
			CatalogEdit edit = new CatalogEdit(current, this.catalog.nextIndex());
			edit.putServiceCheck(check, false);
			this.catalog.publish(edit.snapshot(this.catalog.now()), edit);
			this.added.forget((id, definition) -> id.equals(checkId));
			this.catalog.listener().accept(edit.change());
		}
	}

	boolean maintenance(String serviceId, boolean enable, String reason) {
		synchronized (this.catalog) {
			CatalogSnapshot current = this.catalog.state();
			ServiceInstance instance = current.services().get(serviceId);
			if (instance == null) {
				return false;
			}
			CheckState check = Maintenance.check(instance, reason, this.catalog.now());
			if (enable == current.checks().containsKey(check.checkId())) {
				return true;
			}
			CatalogEdit edit = new CatalogEdit(current, this.catalog.nextIndex());
			edit.putServiceCheck(check, enable);
			this.catalog.publish(edit.snapshot(this.catalog.now()), edit);
			this.catalog.listener().accept(edit.change());
			return true;
		}
	}

}
