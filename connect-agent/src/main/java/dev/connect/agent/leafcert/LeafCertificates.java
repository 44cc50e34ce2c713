package dev.connect.agent.leafcert;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

import dev.connect.agent.ca.CaStore;
import dev.connect.agent.ca.IssuedLeaf;
import dev.connect.agent.index.ChangeIndex;
import dev.connect.agent.index.Topic;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * One current leaf per service, with Consul's lifecycle rules:
 * <ol>
 * <li>The first request for a service issues its leaf; later requests get the cached one.</li>
 * <li>Each leaf gets a renewal time drawn uniformly from [max(60 % of its lifetime, now), 90 %); a leaf living less
 * than 10 minutes is renewed at once. At that time a new leaf (new key, new index) replaces it, and the queries
 * blocked on the old index wake.</li>
 * <li>A request that does not block ({@code index} absent) revalidates: past the 90 % point, or signed by a key
 * other than the active root's, the leaf is re-issued before answering.</li>
 * <li>After a root change every leaf signed by another key is re-issued at a random point in the next 30 seconds
 * (a shorter window when the agent is configured so), so that the whole mesh does not ask for new leaves at the
 * same instant.</li>
 * <li>A leaf nobody asked for in 72 hours is dropped.</li>
 * </ol>
 * Renewals run on {@link #tick()}, which {@link #start()} calls every second.
 */
public final class LeafCertificates {

	static final Duration ROOT_CHANGE_JITTER = Duration.ofSeconds(30);

	static final Duration UNUSED_TTL = Duration.ofHours(72);

	private static final Duration SHORT_LIVED = Duration.ofMinutes(10);

	private final CaStore ca;

	private final ChangeIndex changes;

	private final Clock clock;

	private final RandomGenerator random;

	private final Duration rootChangeJitter;

	private final Map<String, Entry> entries = new ConcurrentHashMap<>();

	/**
	 * Creates an empty cache.
	 * @param ca the CA that issues leaves
	 * @param changes the agent's change index; each new leaf bumps {@link Topic#LEAF} for its service
	 * @param clock the clock for renewal times
	 * @param random the source of renewal jitter
	 */
	public LeafCertificates(CaStore ca, ChangeIndex changes, Clock clock, RandomGenerator random) {
		this(ca, changes, clock, random, ROOT_CHANGE_JITTER);
	}

	/**
	 * Creates an empty cache with another root-change window (rule 4).
	 * @param ca the CA that issues leaves
	 * @param changes the agent's change index; each new leaf bumps {@link Topic#LEAF} for its service
	 * @param clock the clock for renewal times
	 * @param random the source of renewal jitter
	 * @param rootChangeJitter the window in which leaves are re-issued after a root change
	 */
	public LeafCertificates(CaStore ca, ChangeIndex changes, Clock clock, RandomGenerator random,
			Duration rootChangeJitter) {
		this.ca = Objects.requireNonNull(ca, "'ca' must not be null");
		this.changes = changes;
		this.clock = clock;
		this.random = random;
		this.rootChangeJitter = rootChangeJitter;
		ca.onRootsChanged(this::rootsChanged);
	}

	/**
	 * Renews due leaves every second until the returned handle is disposed.
	 * @return the handle that stops renewals
	 */
	public Disposable start() {
		return Flux.interval(Duration.ofSeconds(1), Schedulers.parallel())
			.onBackpressureDrop()
			.concatMap((tick) -> reactor.core.publisher.Mono.fromRunnable(this::tick)
				.subscribeOn(Schedulers.boundedElastic())
				.onErrorResume((ex) -> reactor.core.publisher.Mono.empty()))
			.subscribe();
	}

	/**
	 * Returns the current leaf of a service for a request that does not block, issuing or re-issuing it as rules 1
	 * and 3 say. May block for the CA's rate limit: call it off the event loop.
	 * @param service the service name
	 * @return the leaf and whether it came from the cache
	 */
	public Lookup revalidate(String service) {
		boolean[] issued = new boolean[1];
		Entry entry = this.entries.compute(service, (name, current) -> {
			Instant now = this.clock.instant();
			if (current == null || mustRevalidate(current, now)) {
				issued[0] = true;
				return issue(name, now);
			}
			return current.touched(now);
		});
		if (issued[0]) {
			this.changes.publish(Topic.LEAF, service, entry.index());
		}
		return lookup(entry, !issued[0]);
	}

	/**
	 * Returns the current leaf of a service without issuing one, for a blocked query's re-check.
	 * @param service the service name
	 * @return the leaf, or {@code null} when none was issued yet
	 */
	public @Nullable Lookup peek(String service) {
		Entry entry = this.entries.get(service);
		return (entry != null) ? lookup(entry, true) : null;
	}

	/** Consul's agent cache answers how long ago it fetched what it serves ({@code Age}, on hits only). */
	private Lookup lookup(Entry entry, boolean cacheHit) {
		Duration age = cacheHit ? Duration.between(entry.fetchedAt(), this.clock.instant()) : Duration.ZERO;
		return new Lookup(entry.leaf(), entry.index(), cacheHit, age.isNegative() ? Duration.ZERO : age);
	}

	/**
	 * Issues the leaves whose renewal time has come and drops the ones unused for 72 hours.
	 */
	public void tick() {
		Instant now = this.clock.instant();
		for (String service : this.entries.keySet()) {
			Entry before = this.entries.get(service);
			Entry after = this.entries.computeIfPresent(service, (name, entry) -> {
				if (entry.lastGet().plus(UNUSED_TTL).isBefore(now)) {
					return null;
				}
				return now.isBefore(entry.renewAt()) ? entry : issue(name, now);
			});
			if (after != null && (before == null || after.index() != before.index())) {
				this.changes.publish(Topic.LEAF, service, after.index());
			}
		}
	}

	/** Rule 4: schedule re-issue of every leaf not signed by the active root's key. */
	void rootsChanged() {
		Instant now = this.clock.instant();
		String activeKey = this.ca.authority().activeRoot().signingKeyId();
		for (String service : this.entries.keySet()) {
			this.entries.computeIfPresent(service, (name, entry) -> {
				if (entry.leaf().signingKeyId().equals(activeKey)) {
					return entry;
				}
				Instant at = now.plusMillis(this.random.nextLong(this.rootChangeJitter.toMillis()));
				return at.isBefore(entry.renewAt()) ? entry.renewingAt(at) : entry;
			});
		}
	}

	private boolean mustRevalidate(Entry entry, Instant now) {
		return !now.isBefore(hardRenewal(entry.leaf()))
				|| !entry.leaf().signingKeyId().equals(this.ca.authority().activeRoot().signingKeyId());
	}

	private Entry issue(String service, Instant now) {
		IssuedLeaf leaf = this.ca.authority().issueLeaf(service);
		// Published once the entry is in the map: see ChangeIndex#next.
		long index = this.changes.next();
		return new Entry(leaf, index, renewalTime(leaf, now), now, now);
	}

	private Instant renewalTime(IssuedLeaf leaf, Instant now) {
		Duration lifetime = Duration.between(leaf.validAfter(), leaf.validBefore());
		if (lifetime.compareTo(SHORT_LIVED) < 0) {
			return now;
		}
		Instant soft = leaf.validAfter().plus(lifetime.multipliedBy(6).dividedBy(10));
		Instant hard = hardRenewal(leaf);
		Instant from = soft.isAfter(now) ? soft : now;
		long span = Duration.between(from, hard).toMillis();
		return (span <= 0) ? now : from.plusMillis(this.random.nextLong(span));
	}

	private static Instant hardRenewal(IssuedLeaf leaf) {
		Duration lifetime = Duration.between(leaf.validAfter(), leaf.validBefore());
		return leaf.validAfter().plus(lifetime.multipliedBy(9).dividedBy(10));
	}

	/**
	 * A cached leaf.
	 * @param leaf the leaf
	 * @param index the modify index at which it was issued
	 * @param cacheHit whether the request was served from the cache
	 * @param age how long ago the cached leaf was issued ({@link Duration#ZERO} on a miss)
	 */
	public record Lookup(IssuedLeaf leaf, long index, boolean cacheHit, Duration age) {
	}

	private record Entry(IssuedLeaf leaf, long index, Instant renewAt, Instant lastGet, Instant fetchedAt) {

		Entry touched(Instant now) {
			return new Entry(this.leaf, this.index, this.renewAt, now, this.fetchedAt);
		}

		Entry renewingAt(Instant at) {
			return new Entry(this.leaf, this.index, at, this.lastGet, this.fetchedAt);
		}

	}

}
