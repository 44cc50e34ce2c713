package dev.connect.agent.catalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The results of checks: TTL updates, probe results, TTL expiry and the removal of instances critical for longer
 * than their {@code DeregisterCriticalServiceAfter}. Each write holds the catalog's lock, as the catalog's own
 * writes do, so that a result never lands on a state another write is replacing.
 */
final class CheckResults {

	private final Catalog catalog;

	CheckResults(Catalog catalog) {
		this.catalog = catalog;
	}

	/**
	 * Sets the status of a TTL check and restarts its TTL ({@code /v1/agent/check/pass|warn|fail|update}).
	 * @param checkId the check ID
	 * @param status {@code passing}, {@code warning} or {@code critical}
	 * @param output the new output
	 * @throws UnknownCheckException when the check does not exist
	 * @throws IllegalStateException when the check is not a TTL check
	 */
	void updateTtl(String checkId, String status, String output) {
		synchronized (this.catalog) {
			CheckState check = this.catalog.state().checks().get(checkId);
			if (check == null) {
				throw new UnknownCheckException(checkId);
			}
			if (!check.isTtl()) {
				throw new IllegalStateException("CheckID \"" + checkId + "\" does not have associated TTL");
			}
			setStatus(check, status, output);
		}
	}

	/**
	 * Records the result of a probe of an HTTP or TCP check; a result for a removed check is ignored.
	 * @param checkId the check ID
	 * @param status the status
	 * @param output the probe output
	 */
	void recordProbe(String checkId, String status, String output) {
		synchronized (this.catalog) {
			CheckState check = this.catalog.state().checks().get(checkId);
			if (check != null && !check.isTtl()) {
				setStatus(check, status, output);
			}
		}
	}

	/**
	 * Expires TTL checks that were not updated in time and removes instances whose checks stayed critical longer
	 * than their {@code DeregisterCriticalServiceAfter}.
	 */
	void tick() {
		Instant now = this.catalog.now();
		List<String> expired = new ArrayList<>();
		for (CheckState check : this.catalog.state().checks().values()) {
			if (CheckStatuses.ttlExpired(check, now)) {
				expired.add(check.checkId());
			}
		}
		if (!expired.isEmpty()) {
			expire(expired, now);
		}
		for (CheckState check : this.catalog.state().checks().values()) {
			if (CheckStatuses.deregisterDue(check, now)) {
				this.catalog.deregister(check.serviceId());
			}
		}
	}

	/**
	 * Turns every expired TTL check critical in one change: one copy of the state and one new index however many
	 * expire together (one change per check made the agent copy its whole state once per check, so that 10,000
	 * checks expiring together took it minutes, holding the lock).
	 */
	private void expire(List<String> checkIds, Instant now) {
		synchronized (this.catalog) {
			CatalogSnapshot current = this.catalog.state();
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
			CatalogEdit edit = new CatalogEdit(current, this.catalog.nextIndex());
			expiring.forEach((check) -> edit.putResult(check, CheckState.CRITICAL, "TTL expired", now));
			publishResults(edit);
		}
	}

	private void setStatus(CheckState check, String status, String output) {
		if (!CheckStatuses.changes(check, status, output)) {
			return;
		}
		CatalogEdit edit = new CatalogEdit(this.catalog.state(), this.catalog.nextIndex());
		edit.putResult(check, status, output, this.catalog.now());
		publishResults(edit);
	}

	/** Check results wake the watchers of the aliases that mirror them as well. */
	private void publishResults(CatalogEdit edit) {
		CatalogSnapshot next = edit.snapshot(this.catalog.now());
		edit.touchAliasesChangedIn(next);
		this.catalog.publish(next, edit);
	}

}
