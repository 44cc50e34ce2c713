package dev.connect.agent.catalog;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiPredicate;

import dev.connect.api.CheckDefinition;

/**
 * The checks added through {@code /v1/agent/check/register}, as they were defined, by check ID: what the data
 * directory keeps so that a restart adds them again. Written under the catalog's lock; read from any thread.
 */
final class AddedChecks {

	private volatile Map<String, CheckDefinition> byId = Map.of();

	void put(String checkId, CheckDefinition definition) {
		Map<String, CheckDefinition> added = new TreeMap<>(this.byId);
		added.put(checkId, definition);
		this.byId = Collections.unmodifiableMap(added);
	}

	/** Forgets the checks a write replaced or removed. */
	void forget(BiPredicate<String, CheckDefinition> forgotten) {
		Map<String, CheckDefinition> added = new TreeMap<>(this.byId);
		if (added.entrySet().removeIf((entry) -> forgotten.test(entry.getKey(), entry.getValue()))) {
			this.byId = Collections.unmodifiableMap(added);
		}
	}

	/** The definitions, sorted by check ID. */
	List<CheckDefinition> all() {
		return List.copyOf(this.byId.values());
	}

}
