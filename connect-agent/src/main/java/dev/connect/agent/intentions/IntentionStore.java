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
import java.util.function.Supplier;

import dev.connect.agent.index.ChangeIndex;
import dev.connect.api.Indexed;
import dev.connect.agent.index.Topic;
import dev.connect.api.Intention;
import org.jspecify.annotations.Nullable;

/**
 * The agent's intentions: exactly one per (source, destination) pair, validated with Consul's rules, kept in
 * Consul's evaluation order (precedence descending, then names), with the default policy deciding when nothing
 * matches. Reads see an immutable snapshot; every write bumps {@link Topic#INTENTIONS} and changes nothing when
 * it is refused.
 */
public final class IntentionStore {

	static final String NOT_FOUND = "Intention not found";

	private static final long NEW = -1;

	private final ChangeIndex changes;

	private final boolean defaultAllow;

	private final Clock clock;

	private final Supplier<UUID> ids;

	private volatile Snapshot snapshot = new Snapshot(List.of(), 0);

	/**
	 * Creates an empty store.
	 * @param changes the agent's change index
	 * @param defaultPolicy {@code allow} or {@code deny}: the decision when no intention matches
	 * @param clock the clock for legacy intentions' timestamps
	 * @param ids the source of legacy intention IDs
	 */
	public IntentionStore(ChangeIndex changes, String defaultPolicy, Clock clock, Supplier<UUID> ids) {
		this.changes = Objects.requireNonNull(changes, "'changes' must not be null");
		if (!"allow".equals(defaultPolicy) && !"deny".equals(defaultPolicy)) {
			throw new IllegalArgumentException("Default intention policy '" + defaultPolicy + "' must be 'allow' or 'deny'");
		}
		this.defaultAllow = "allow".equals(defaultPolicy);
		this.clock = clock;
		this.ids = ids;
	}

	/**
	 * Replaces every intention with ones read back from the data directory, indexes included.
	 * @param intentions the stored intentions
	 */
	public synchronized void restore(List<Intention> intentions) {
		List<Intention> sorted = new ArrayList<>(intentions);
		sorted.sort(IntentionRules.EVALUATION_ORDER);
		long index = this.changes.next();
		this.snapshot = new Snapshot(List.copyOf(sorted), index);
		this.changes.publish(Topic.INTENTIONS, "", index);
	}

	/**
	 * Creates or replaces the intention between a source and a destination (the exact API).
	 * @param source the source service or {@code *}
	 * @param destination the destination service or {@code *}
	 * @param request the body: action or permissions, description, source type
	 * @return the stored intention
	 * @throws InvalidIntentionException when a rule is broken; nothing changes
	 */
	public synchronized Intention upsert(String source, String destination, Intention request) {
		if (request.meta() != null && !request.meta().isEmpty()) {
			throw new InvalidIntentionException("Meta must not be specified");
		}
		Intention existing = find(source, destination).orElse(null);
		Intention candidate = normalized(request, null, source, destination, null, null);
		check(request, candidate);
		return put(existing, candidate, (existing != null) ? existing.createIndex() : NEW);
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
		Intention candidate = normalized(request, id, request.sourceName(), request.destinationName(), now, now);
		check(request, candidate);
		Optional<Intention> duplicate = samePair(candidate);
		if (duplicate.isPresent()) {
			throw new InvalidIntentionException("duplicate intention found: " + IntentionRules.describe(duplicate.get()));
		}
		put(null, candidate, NEW);
		return id;
	}

	/**
	 * Replaces a legacy intention by ID.
	 * @param id the intention ID
	 * @param request the new body
	 * @throws InvalidIntentionException when a rule is broken, the ID is unknown or the new pair is taken
	 */
	public synchronized void update(String id, Intention request) {
		Intention existing = byId(id).orElseThrow(() -> new InvalidIntentionException(NOT_FOUND));
		Intention candidate = normalized(request, id, request.sourceName(), request.destinationName(),
				existing.createdAt(), this.clock.instant());
		check(request, candidate);
		Optional<Intention> other = samePair(candidate);
		if (other.isPresent() && !id.equals(other.get().id())) {
			throw new InvalidIntentionException("duplicate intention found: " + IntentionRules.describe(other.get()));
		}
		put(existing, candidate, existing.createIndex());
	}

	/**
	 * Deletes the intention between a source and a destination, if any.
	 * @param source the source service or {@code *}
	 * @param destination the destination service or {@code *}
	 * @return whether an intention was deleted
	 */
	public synchronized boolean delete(String source, String destination) {
		Optional<Intention> existing = find(source, destination);
		existing.ifPresent(this::remove);
		return existing.isPresent();
	}

	/**
	 * Deletes a legacy intention by ID.
	 * @param id the intention ID
	 * @throws InvalidIntentionException when the ID is unknown
	 */
	public synchronized void deleteById(String id) {
		remove(byId(id).orElseThrow(() -> new InvalidIntentionException(NOT_FOUND)));
	}

	/**
	 * Returns the intention between a source and a destination.
	 * @param source the source service or {@code *}
	 * @param destination the destination service or {@code *}
	 * @return the intention, if any
	 */
	public Optional<Intention> find(String source, String destination) {
		return this.snapshot.intentions()
			.stream()
			.filter((i) -> source.equals(i.sourceName()) && destination.equals(i.destinationName()))
			.findFirst();
	}

	/** The stored intention with a candidate's source and destination, once {@link #check} has passed it. */
	private Optional<Intention> samePair(Intention candidate) {
		return this.snapshot.intentions()
			.stream()
			.filter((i) -> Objects.equals(i.sourceName(), candidate.sourceName())
					&& Objects.equals(i.destinationName(), candidate.destinationName()))
			.findFirst();
	}

	/**
	 * Returns a legacy intention by ID.
	 * @param id the ID
	 * @return the intention, if any
	 */
	public Optional<Intention> byId(String id) {
		return this.snapshot.intentions().stream().filter((i) -> id.equals(i.id())).findFirst();
	}

	/**
	 * Returns every intention in evaluation order, with the index of the last change.
	 * @return the indexed list
	 */
	public Indexed<List<Intention>> list() {
		Snapshot current = this.snapshot;
		return new Indexed<>(current.index(), current.intentions());
	}

	/**
	 * Returns, for each name, the intentions that apply to it as a destination (or as a source), in evaluation
	 * order. Keys keep the caller's order and spelling.
	 * @param byDestination {@code true} to match destinations, {@code false} to match sources
	 * @param names the service names
	 * @return the matches per name, with the index of the last change
	 */
	public Indexed<Map<String, List<Intention>>> match(boolean byDestination, List<String> names) {
		Snapshot current = this.snapshot;
		Map<String, List<Intention>> matches = new LinkedHashMap<>();
		for (String name : names) {
			List<Intention> applying = new ArrayList<>();
			for (Intention intention : current.intentions()) {
				String pattern = byDestination ? intention.destinationName() : intention.sourceName();
				if (IntentionRules.matches(pattern, name)) {
					applying.add(intention);
				}
			}
			matches.put(name, List.copyOf(applying));
		}
		return new Indexed<>(current.index(), matches);
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
		for (Intention intention : this.snapshot.intentions()) {
			if (IntentionRules.matches(intention.destinationName(), destination)
					&& IntentionRules.matches(intention.sourceName(), source)) {
				if (IntentionRules.isL7(intention)) {
					return new IntentionDecision(false, intention,
							"Matched L7 intention: " + IntentionRules.describe(intention));
				}
				return new IntentionDecision("allow".equals(intention.action()), intention,
						"Matched L4 intention: " + IntentionRules.describe(intention));
			}
		}
		return new IntentionDecision(this.defaultAllow, null, "Default intention policy");
	}

	/**
	 * Refuses a request for another partition, namespace or peer before anything else: the candidate carries only
	 * the local name, so a scope the agent does not serve must never get as far as being stored.
	 */
	private void check(Intention request, Intention candidate) {
		List<String> errors = new ArrayList<>(IntentionRules.validateScope(request));
		errors.addAll(IntentionRules.validate(candidate));
		if (!errors.isEmpty()) {
			throw new InvalidIntentionException(errors);
		}
	}

	/**
	 * The request as it would be stored. Names of the legacy API come from the body and may be missing: the
	 * candidate then carries none and {@link #check} refuses it.
	 */
	private Intention normalized(Intention request, @Nullable String id, @Nullable String source,
			@Nullable String destination, @Nullable Instant createdAt, @Nullable Instant updatedAt) {
		String sourceType = (request.sourceType() == null || request.sourceType().isEmpty()) ? "consul"
				: request.sourceType();
		String sourceNs = emptyToDefault(request.sourceNs());
		String destinationNs = emptyToDefault(request.destinationNs());
		int precedence = (source != null && destination != null) ? IntentionRules.precedence(source, destination) : 0;
		return request.withId(id)
			.withDescription((request.description() != null) ? request.description() : "")
			.withSource(sourceNs, source)
			.withDestination(destinationNs, destination)
			.withScope(null, null, null)
			.withSourceType(sourceType)
			.withPrecedence(precedence)
			.withTimestamps(createdAt, updatedAt)
			.withIndexes(0, 0);
	}

	private static String emptyToDefault(@Nullable String namespace) {
		return (namespace == null || IntentionRules.isDefault(namespace)) ? IntentionRules.DEFAULT_NS : namespace;
	}

	/**
	 * Stores an intention in place of another one (or of none), stamped with the new index (and its create index,
	 * or the new index for {@link #NEW}), and publishes a new snapshot.
	 */
	private Intention put(@Nullable Intention old, Intention replacement, long createIndex) {
		List<Intention> next = new ArrayList<>(this.snapshot.intentions());
		if (old != null) {
			next.remove(old);
		}
		long index = this.changes.next();
		Intention stored = replacement.withIndexes((createIndex == NEW) ? index : createIndex, index);
		next.add(stored);
		publish(next, index);
		return stored;
	}

	private void remove(Intention old) {
		List<Intention> next = new ArrayList<>(this.snapshot.intentions());
		next.remove(old);
		publish(next, this.changes.next());
	}

	private void publish(List<Intention> next, long index) {
		next.sort(IntentionRules.EVALUATION_ORDER);
		this.snapshot = new Snapshot(List.copyOf(next), index);
		this.changes.publish(Topic.INTENTIONS, "", index);
	}

	private record Snapshot(List<Intention> intentions, long index) {
	}

}
