package dev.connect.agent.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

import dev.connect.agent.index.ChangeIndex;
import dev.connect.agent.index.Topic;
import dev.connect.api.Indexed;
import org.jspecify.annotations.Nullable;

/**
 * The agent's config entries, one per kind and name, decoded, normalized and validated as Consul does, with Consul's
 * check-and-set. Reads see an immutable snapshot; every write bumps {@link Topic#CONFIG} for its kind (and
 * {@link Topic#INTENTIONS} for {@code service-intentions}, the store behind the intentions API) and changes nothing
 * when it is refused.
 */
public final class ConfigEntryStore {

	/** Consul's text for a {@code GET} of an entry that does not exist, followed by the kind and name. */
	public static final String NOT_FOUND = "Config entry not found";

	private final ChangeIndex changes;

	private volatile Map<String, TreeMap<String, ConfigEntry>> entries = Map.of();

	/** Each kind's entries as one list, made once per change: a reader may cache what it derives from one. */
	private volatile Map<String, List<ConfigEntry>> lists = Map.of();

	/**
	 * Creates an empty store.
	 * @param changes the agent's change index
	 */
	public ConfigEntryStore(ChangeIndex changes) {
		this.changes = changes;
	}

	/**
	 * Returns whether Consul knows a kind ({@code structs.MakeConfigEntry}).
	 * @param kind the kind
	 * @return whether it is one of Consul's kinds
	 */
	public static boolean isConsulKind(String kind) {
		return EntryKinds.CONSUL_KINDS.contains(kind);
	}

	/**
	 * Creates or replaces an entry from a request body ({@code PUT /v1/config}).
	 * @param raw the body, as parsed JSON
	 * @param cas {@code null} for an unconditional write; 0 to create only; else the entry's current ModifyIndex
	 * @return {@code false} when the check-and-set lost
	 * @throws InvalidConfigEntryException when the body cannot be decoded or the entry breaks a rule
	 */
	public synchronized boolean apply(Map<String, Object> raw, @Nullable Long cas) {
		EntryDecoder.Decoded decoded = EntryDecoder.decode(raw);
		String name = EntryRules.name(decoded.kind(), decoded.name());
		ConfigEntry candidate = new ConfigEntry(decoded.kind(), name,
				EntryRules.normalize(decoded.kind(), name, decoded.values(), false), 0, 0);
		EntryRules.validate(candidate, false);
		ConfigEntry existing = find(decoded.kind(), name);
		if (cas != null && ((cas == 0) ? existing != null : (existing == null || existing.modifyIndex() != cas))) {
			return false;
		}
		put(candidate);
		return true;
	}

	/**
	 * Deletes an entry.
	 * @param kind the kind
	 * @param name the name
	 * @param cas {@code null} for an unconditional delete, else the entry's current ModifyIndex
	 * @return {@code false} when the check-and-set lost
	 */
	public synchronized boolean delete(String kind, String name, @Nullable Long cas) {
		String normalized = EntryRules.name(kind, name);
		ConfigEntry existing = find(kind, normalized);
		if (cas != null && (existing == null || existing.modifyIndex() != cas)) {
			return false;
		}
		if (existing != null) {
			remove(existing);
		}
		return true;
	}

	/**
	 * Changes one entry under the store's lock, for the intentions API: the function gets the current entry and
	 * answers the new values, or nothing to delete the entry. Legacy fields are kept.
	 * @param kind the kind
	 * @param name the name
	 * @param change the change; it may throw to refuse, and then nothing changes
	 * @return the stored entry, or empty when it was deleted
	 */
	public synchronized Optional<ConfigEntry> modify(String kind, String name,
			Function<Optional<ConfigEntry>, Optional<Map<String, Object>>> change) {
		ConfigEntry existing = find(kind, name);
		Optional<Map<String, Object>> values = change.apply(Optional.ofNullable(existing));
		if (values.isEmpty()) {
			if (existing != null) {
				remove(existing);
			}
			return Optional.empty();
		}
		ConfigEntry candidate = new ConfigEntry(kind, name, EntryRules.normalize(kind, name, values.get(), true), 0, 0);
		EntryRules.validate(candidate, true);
		return Optional.of(put(candidate));
	}

	/**
	 * Replaces every entry with ones read back from the data directory, indexes included.
	 * @param stored the entries as {@link ConfigEntry#toJson()} wrote them
	 * @throws InvalidConfigEntryException when one cannot be read
	 */
	public synchronized void restore(List<Map<String, Object>> stored) {
		Map<String, TreeMap<String, ConfigEntry>> next = new TreeMap<>();
		for (Map<String, Object> raw : stored) {
			EntryDecoder.Decoded decoded = EntryDecoder.decode(raw);
			String name = EntryRules.name(decoded.kind(), decoded.name());
			ConfigEntry entry = new ConfigEntry(decoded.kind(), name, decoded.values(), number(raw.get("CreateIndex")),
					number(raw.get("ModifyIndex")));
			next.computeIfAbsent(entry.kind(), (k) -> new TreeMap<>()).put(name, entry);
		}
		publishState(next);
		long index = this.changes.next();
		next.keySet().forEach((kind) -> this.changes.publish(Topic.CONFIG, kind, index));
		this.changes.publish(Topic.INTENTIONS, "", index);
	}

	private static long number(@Nullable Object value) {
		return (value instanceof Number number) ? number.longValue() : 0;
	}

	/**
	 * Returns one entry, with the index of the last change of its kind.
	 * @param kind the kind
	 * @param name the name
	 * @return the entry, if any
	 */
	public Indexed<Optional<ConfigEntry>> get(String kind, String name) {
		long index = this.changes.index(Topic.CONFIG, kind);
		String normalized = EntryKinds.MESH.equals(kind) ? EntryKinds.MESH : name;
		return new Indexed<>(index, Optional.ofNullable(find(kind, normalized)));
	}

	/**
	 * Returns the entries of a kind, by name, with the index of the last change of that kind. Until the kind
	 * changes again the list is the same instance, so that a view can cache what it derives from it.
	 * @param kind the kind
	 * @return the entries
	 */
	public Indexed<List<ConfigEntry>> list(String kind) {
		long index = this.changes.index(Topic.CONFIG, kind);
		return new Indexed<>(index, this.lists.getOrDefault(kind, List.of()));
	}

	/**
	 * Returns every entry, by kind then name.
	 * @return the entries
	 */
	public List<ConfigEntry> all() {
		List<ConfigEntry> all = new ArrayList<>();
		new TreeMap<>(this.entries).values().forEach((ofKind) -> all.addAll(ofKind.values()));
		return all;
	}

	/**
	 * Returns a service's protocol as the mesh sees it: its service-defaults {@code Protocol}, else the
	 * proxy-defaults global {@code Config.protocol}, else {@code tcp}.
	 * @param service the service name
	 * @return the protocol, lower case
	 */
	public String protocol(String service) {
		return EntryRules.protocol(service, this::find);
	}

	/**
	 * Decodes L7 permissions given to the intentions API, refusing keys Consul's decoder does not know.
	 * @param permissions the permissions as parsed
	 * @return the permissions with Consul's field names
	 * @throws InvalidConfigEntryException (decoding) naming the unknown field
	 */
	public static List<Map<String, Object>> decodePermissions(List<Map<String, Object>> permissions) {
		return EntryDecoder.permissions(permissions);
	}

	private @Nullable ConfigEntry find(String kind, String name) {
		TreeMap<String, ConfigEntry> ofKind = this.entries.get(kind);
		return (ofKind != null) ? ofKind.get(name) : null;
	}

	private ConfigEntry put(ConfigEntry candidate) {
		ConfigEntry existing = find(candidate.kind(), candidate.name());
		Map<String, TreeMap<String, ConfigEntry>> next = copy();
		long index = this.changes.next();
		ConfigEntry stored = new ConfigEntry(candidate.kind(), candidate.name(), candidate.values(),
				(existing != null) ? existing.createIndex() : index, index);
		next.computeIfAbsent(stored.kind(), (k) -> new TreeMap<>()).put(stored.name(), stored);
		commit(next, stored.kind(), index);
		return stored;
	}

	private void remove(ConfigEntry existing) {
		Map<String, TreeMap<String, ConfigEntry>> next = copy();
		next.computeIfAbsent(existing.kind(), (k) -> new TreeMap<>()).remove(existing.name());
		commit(next, existing.kind(), this.changes.next());
	}

	private void publishState(Map<String, TreeMap<String, ConfigEntry>> next) {
		Map<String, List<ConfigEntry>> nextLists = new TreeMap<>();
		next.forEach((kind, ofKind) -> nextLists.put(kind, List.copyOf(ofKind.values())));
		this.lists = Map.copyOf(nextLists);
		this.entries = Map.copyOf(next);
	}

	private Map<String, TreeMap<String, ConfigEntry>> copy() {
		Map<String, TreeMap<String, ConfigEntry>> next = new TreeMap<>();
		this.entries.forEach((kind, ofKind) -> next.put(kind, new TreeMap<>(ofKind)));
		return next;
	}

	/** Checks the rules across kinds on the whole new state, then makes it visible and wakes the readers. */
	private void commit(Map<String, TreeMap<String, ConfigEntry>> next, String kind, long index) {
		TreeMap<String, ConfigEntry> intentions = next.getOrDefault(EntryKinds.SERVICE_INTENTIONS, new TreeMap<>());
		EntryRules.checkL7Protocols(List.copyOf(intentions.values()), (k, n) -> {
			TreeMap<String, ConfigEntry> ofKind = next.get(k);
			return (ofKind != null) ? ofKind.get(n) : null;
		});
		publishState(next);
		this.changes.publish(Topic.CONFIG, kind, index);
		if (EntryKinds.SERVICE_INTENTIONS.equals(kind)) {
			this.changes.publish(Topic.INTENTIONS, "", index);
		}
	}

}
