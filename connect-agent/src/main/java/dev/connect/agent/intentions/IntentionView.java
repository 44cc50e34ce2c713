package dev.connect.agent.intentions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.connect.agent.config.ConfigEntry;
import dev.connect.agent.config.ConfigEntryStore;
import dev.connect.agent.index.ChangeIndex;
import dev.connect.agent.index.Topic;
import dev.connect.api.Indexed;
import dev.connect.api.Intention;

/**
 * The read side of the intentions: the {@code service-intentions} entries flattened into intentions in Consul's
 * evaluation order (once per change of the entries), looked up by pair or legacy ID, matched by name, and
 * evaluated for a caller. Never writes.
 */
final class IntentionView {

	private final ConfigEntryStore entries;

	private final ChangeIndex changes;

	private volatile Snapshot snapshot = new Snapshot(List.of(), List.of(), 0);

	IntentionView(ConfigEntryStore entries, ChangeIndex changes) {
		this.entries = entries;
		this.changes = changes;
	}

	/**
	 * Returns the intention between a source and a destination.
	 * @param source the source service or {@code *}
	 * @param destination the destination service or {@code *}
	 * @return the intention, if any
	 */
	Optional<Intention> find(String source, String destination) {
		return find("", source, destination);
	}

	/**
	 * Returns the intention between a source of a cluster peer (or of this cluster) and a destination.
	 * @param peer the source's peer, or {@code ""} for this cluster
	 * @param source the source service or {@code *}
	 * @param destination the destination service or {@code *}
	 * @return the intention, if any
	 */
	Optional<Intention> find(String peer, String source, String destination) {
		return snapshot().intentions()
			.stream()
			.filter((i) -> peer.equals(peerOf(i)) && source.equals(i.sourceName())
					&& destination.equals(i.destinationName()))
			.findFirst();
	}

	private static String peerOf(Intention intention) {
		return (intention.sourcePeer() != null) ? intention.sourcePeer() : "";
	}

	/** The stored intention with a candidate's source and destination, once the rules have passed it. */
	Optional<Intention> samePair(Intention candidate) {
		return find(Objects.requireNonNull(candidate.sourceName()), Objects.requireNonNull(candidate.destinationName()));
	}

	/**
	 * Returns a legacy intention by ID.
	 * @param id the ID
	 * @return the intention, if any
	 */
	Optional<Intention> byId(String id) {
		return snapshot().intentions().stream().filter((i) -> id.equals(i.id())).findFirst();
	}

	/**
	 * Returns every intention in evaluation order, with the index of the last change.
	 * @return the indexed list
	 */
	Indexed<List<Intention>> list() {
		Snapshot current = snapshot();
		return new Indexed<>(current.index(), current.intentions());
	}

	/**
	 * Returns, for each name, the intentions that apply to it as a destination (or as a source), in evaluation
	 * order. Keys keep the caller's order and spelling.
	 * @param byDestination {@code true} to match destinations, {@code false} to match sources
	 * @param names the service names
	 * @return the matches per name, with the index of the last change
	 */
	Indexed<Map<String, List<Intention>>> match(boolean byDestination, List<String> names) {
		Snapshot current = snapshot();
		Map<String, List<Intention>> matches = new LinkedHashMap<>();
		for (String name : names) {
			List<Intention> applying = new ArrayList<>();
			for (Intention intention : current.intentions()) {
				String pattern = byDestination ? intention.destinationName() : intention.sourceName();
				// A source of another cluster is never the local service of the same name.
				if (IntentionRules.matches(pattern, name) && (byDestination || peerOf(intention).isEmpty())) {
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
	IntentionDecision decide(String source, String destination, boolean defaultAllow) {
		for (Intention intention : snapshot().intentions()) {
			if (IntentionRules.matches(intention.destinationName(), destination)
					&& IntentionRules.matches(intention.sourceName(), source) && peerOf(intention).isEmpty()) {
				if (IntentionRules.isL7(intention)) {
					return new IntentionDecision(false, intention,
							"Matched L7 intention: " + IntentionRules.describe(intention));
				}
				return new IntentionDecision("allow".equals(intention.action()), intention,
						"Matched L4 intention: " + IntentionRules.describe(intention));
			}
		}
		return new IntentionDecision(defaultAllow, null, "Default intention policy");
	}

	/**
	 * The intentions as of the last change, flattened once per list of entries. The index is read first: entries
	 * are made visible before their index is published, so the intentions are never older than the index.
	 */
	private Snapshot snapshot() {
		long index = this.changes.index(Topic.INTENTIONS, "");
		List<ConfigEntry> current = this.entries.list(IntentionSources.KIND).value();
		Snapshot cached = this.snapshot;
		if (cached.entries() == current) {
			return (cached.index() == index) ? cached : new Snapshot(current, cached.intentions(), index);
		}
		Snapshot next = new Snapshot(current, IntentionSources.flatten(current), index);
		this.snapshot = next;
		return next;
	}

	private record Snapshot(List<ConfigEntry> entries, List<Intention> intentions, long index) {
	}

}
