package dev.connect.agent.intentions;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.connect.agent.config.ConfigEntry;
import dev.connect.agent.config.ConfigEntryStore;
import dev.connect.agent.index.ChangeIndex;
import dev.connect.api.Indexed;
import dev.connect.api.Intention;
import org.jspecify.annotations.Nullable;

/**
 * The agent's intentions, a view onto {@code service-intentions} config entries as in Consul 1.9 and later: one
 * intention per source of a destination's entry, validated with Consul's rules, read in Consul's evaluation order
 * (precedence descending, then names), with the default policy deciding when nothing matches. Writes change the
 * destination's entry (creating it for its first source and deleting it with its last), so a change through either
 * API is seen, and wakes blocked readers, through the other. A refused write changes nothing.
 */
public final class IntentionStore {

	static final String NOT_FOUND = "Intention not found";

	private final ConfigEntryStore entries;

	private final ChangeIndex changes;

	private final boolean defaultAllow;

	private final Clock clock;

	private final Supplier<UUID> ids;

	private final IntentionView view;

	/**
	 * Creates the view.
	 * @param entries the config entries that hold the intentions
	 * @param changes the agent's change index
	 * @param defaultPolicy {@code allow} or {@code deny}: the decision when no intention matches
	 * @param clock the clock for legacy intentions' timestamps
	 * @param ids the source of legacy intention IDs
	 */
	public IntentionStore(ConfigEntryStore entries, ChangeIndex changes, String defaultPolicy, Clock clock,
			Supplier<UUID> ids) {
		this.entries = Objects.requireNonNull(entries, "'entries' must not be null");
		this.changes = Objects.requireNonNull(changes, "'changes' must not be null");
		this.view = new IntentionView(entries, changes);
		if (!"allow".equals(defaultPolicy) && !"deny".equals(defaultPolicy)) {
			throw new IllegalArgumentException("Default intention policy '" + defaultPolicy + "' must be 'allow' or 'deny'");
		}
		this.defaultAllow = "allow".equals(defaultPolicy);
		this.clock = clock;
		this.ids = ids;
	}

	/**
	 * Returns the default policy.
	 * @return {@code allow} or {@code deny}
	 */
	public String defaultPolicy() {
		return this.defaultAllow ? "allow" : "deny";
	}

	/**
	 * Moves intentions stored by an older agent (one list, before config entries) into {@code service-intentions}
	 * entries, keeping legacy IDs, metadata and timestamps. Does nothing when an entry already holds intentions: a
	 * directory migrated before a crash is not migrated twice.
	 * @param stored the intentions of the old format
	 * @return whether anything was migrated
	 */
	public synchronized boolean migrate(List<Intention> stored) {
		if (stored.isEmpty() || !this.entries.list(IntentionSources.KIND).value().isEmpty()) {
			return false;
		}
		Map<String, List<Map<String, Object>>> byDestination = new LinkedHashMap<>();
		for (Intention intention : stored) {
			byDestination.computeIfAbsent(Objects.requireNonNull(intention.destinationName()), (d) -> new ArrayList<>())
				.add(IntentionSources.sourceOf(intention));
		}
		byDestination.forEach((destination, sources) -> this.entries.modify(IntentionSources.KIND, destination,
				(existing) -> Optional.of(IntentionSources.withSources(null, sources))));
		return true;
	}

	/**
	 * Creates or replaces the intention between a source and a destination (the exact API): one source of the
	 * destination's entry.
	 * @param source the source service or {@code *}
	 * @param destination the destination service or {@code *}
	 * @param request the body: action or permissions, description, source type, meta
	 * @return the stored intention
	 * @throws InvalidIntentionException when a rule is broken; nothing changes
	 */
	public synchronized Intention upsert(String source, String destination, Intention request) {
		Intention candidate = IntentionRules.normalized(request, null, source, destination, null, null);
		IntentionRules.requireValid(request, candidate);
		Map<String, String> meta = request.meta();
		this.entries.modify(IntentionSources.KIND, destination, (existing) -> {
			if (meta != null && !meta.isEmpty()) {
				if (existing.isEmpty()) {
					throw new InvalidIntentionException("Meta must not be specified");
				}
				if (!meta.equals(existing.get().meta())) {
					throw new InvalidIntentionException("Meta must not be specified, or should be unchanged during an update.");
				}
			}
			List<Map<String, Object>> sources = others(existing, sameLocalName(source));
			sources.add(IntentionSources.sourceOf(candidate.withId(null).withMeta(null)));
			return Optional.of(IntentionSources.withSources(existing.orElse(null), sources));
		});
		return find(source, destination).orElseThrow();
	}

	/**
	 * Creates an intention through the legacy ID API.
	 * @param request the body with source and destination names
	 * @return the new intention's ID
	 * @throws InvalidIntentionException when a rule is broken or the pair already has an intention
	 */
	public synchronized String create(Intention request) {
		String id = this.ids.get().toString();
		Instant now = this.clock.instant();
		Intention candidate = IntentionRules.normalized(request, id, request.sourceName(), request.destinationName(), now, now);
		IntentionRules.requireValid(request, candidate);
		Optional<Intention> duplicate = this.view.samePair(candidate);
		if (duplicate.isPresent()) {
			throw new InvalidIntentionException("duplicate intention found: " + IntentionRules.describe(duplicate.get()));
		}
		add(candidate);
		return id;
	}

	/**
	 * Replaces a legacy intention by ID; a new destination moves it to that destination's entry.
	 * @param id the intention ID
	 * @param request the new body
	 * @throws InvalidIntentionException when a rule is broken, the ID is unknown or the new pair is taken
	 */
	public synchronized void update(String id, Intention request) {
		Intention existing = byId(id).orElseThrow(() -> new InvalidIntentionException(NOT_FOUND));
		Intention candidate = IntentionRules.normalized(request, id, request.sourceName(), request.destinationName(),
				existing.createdAt(), this.clock.instant());
		IntentionRules.requireValid(request, candidate);
		Optional<Intention> other = this.view.samePair(candidate);
		if (other.isPresent() && !id.equals(other.get().id())) {
			throw new InvalidIntentionException("duplicate intention found: " + IntentionRules.describe(other.get()));
		}
		if (Objects.equals(existing.destinationName(), candidate.destinationName())) {
			replace(Objects.requireNonNull(existing.destinationName()), legacyId(id), candidate);
			return;
		}
		// Added to the new destination first: if that entry refuses it, the intention stays where it was.
		add(candidate);
		replace(Objects.requireNonNull(existing.destinationName()), legacyId(id), null);
	}

	/**
	 * Deletes the intention between a source and a destination, if any.
	 * @param source the source service or {@code *}
	 * @param destination the destination service or {@code *}
	 * @return whether an intention was deleted
	 */
	public synchronized boolean delete(String source, String destination) {
		boolean present = find(source, destination).isPresent();
		if (present) {
			replace(destination, sameLocalName(source), null);
		}
		return present;
	}

	/**
	 * Deletes a legacy intention by ID.
	 * @param id the intention ID
	 * @throws InvalidIntentionException when the ID is unknown
	 */
	public synchronized void deleteById(String id) {
		Intention existing = byId(id).orElseThrow(() -> new InvalidIntentionException(NOT_FOUND));
		replace(Objects.requireNonNull(existing.destinationName()), legacyId(id), null);
	}

	private void add(Intention candidate) {
		this.entries.modify(IntentionSources.KIND, Objects.requireNonNull(candidate.destinationName()), (existing) -> {
			List<Map<String, Object>> sources = others(existing, (s) -> false);
			sources.add(IntentionSources.sourceOf(candidate));
			return Optional.of(IntentionSources.withSources(existing.orElse(null), sources));
		});
	}

	/** Replaces the sources a predicate selects with one (or with none); an entry left without sources goes. */
	private void replace(String destination, Predicate<Map<String, Object>> selected, @Nullable Intention with) {
		this.entries.modify(IntentionSources.KIND, destination, (existing) -> {
			List<Map<String, Object>> sources = others(existing, selected);
			if (with != null) {
				sources.add(IntentionSources.sourceOf(with));
			}
			return sources.isEmpty() ? Optional.empty()
					: Optional.of(IntentionSources.withSources(existing.orElse(null), sources));
		});
	}

	private static List<Map<String, Object>> others(Optional<ConfigEntry> entry,
			Predicate<Map<String, Object>> excluded) {
		List<Map<String, Object>> sources = new ArrayList<>();
		entry.ifPresent((e) -> e.sources().stream().filter(excluded.negate()).forEach(sources::add));
		return sources;
	}

	private static Predicate<Map<String, Object>> sameLocalName(String source) {
		return (s) -> source.equals(IntentionSources.text(s, "Name")) && IntentionSources.text(s, "Peer").isEmpty();
	}

	private static Predicate<Map<String, Object>> legacyId(String id) {
		return (s) -> id.equals(IntentionSources.text(s, "LegacyID"));
	}


	/**
	 * Returns the intention between a source and a destination.
	 * @param source the source service or {@code *}
	 * @param destination the destination service or {@code *}
	 * @return the intention, if any
	 */
	public Optional<Intention> find(String source, String destination) {
		return this.view.find(source, destination);
	}

	/**
	 * Returns the intention between a source of a cluster peer (or of this cluster) and a destination.
	 * @param peer the source's peer, or {@code ""} for this cluster
	 * @param source the source service or {@code *}
	 * @param destination the destination service or {@code *}
	 * @return the intention, if any
	 */
	public Optional<Intention> find(String peer, String source, String destination) {
		return this.view.find(peer, source, destination);
	}

	/**
	 * Returns a legacy intention by ID.
	 * @param id the ID
	 * @return the intention, if any
	 */
	public Optional<Intention> byId(String id) {
		return this.view.byId(id);
	}

	/**
	 * Returns every intention in evaluation order, with the index of the last change.
	 * @return the indexed list
	 */
	public Indexed<List<Intention>> list() {
		return this.view.list();
	}

	/**
	 * Returns, for each name, the intentions that apply to it as a destination (or as a source), in evaluation
	 * order. Keys keep the caller's order and spelling.
	 * @param byDestination {@code true} to match destinations, {@code false} to match sources
	 * @param names the service names
	 * @return the matches per name, with the index of the last change
	 */
	public Indexed<Map<String, List<Intention>>> match(boolean byDestination, List<String> names) {
		return this.view.match(byDestination, names);
	}

	/**
	 * Decides whether a source service may connect to a destination service: the first intention in evaluation
	 * order whose destination and source match decides (an L7 intention denies, since connection-level callers
	 * cannot evaluate its permissions); without a match, the default policy.
	 * @param source the calling service
	 * @param destination the called service
	 * @return the decision and its reason
	 */
	public IntentionDecision decide(String source, String destination) {
		return this.view.decide(source, destination, this.defaultAllow);
	}

}
