package dev.connect.authz;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.connect.identity.SpiffeId;
import reactor.core.publisher.Mono;

/**
 * Caches another authorizer's decisions per caller, so the hot path is one map lookup:
 * <ol>
 * <li>A hit is answered from memory while it is younger than the refresh interval, or while the intention watch
 * has not reported a change: {@link #invalidateAll()} (called on every intention change) drops every entry.</li>
 * <li>A miss asks the delegate; the answer is stored only if no invalidation happened meanwhile, so a decision
 * from before an intention change is never cached after it.</li>
 * <li>When the delegate fails, a cached decision younger than {@code maxStale} is served (fail static); without
 * one the error is passed on and the caller must refuse the request (fail closed).</li>
 * </ol>
 */
public final class CachingAuthorizer implements Authorizer {

	/**
	 * How many callers are kept. Past it Caffeine evicts one entry at a time, the least likely to be used again
	 * (W-TinyLFU), never the whole cache: the decisions served while the agent is unreachable stay, except the
	 * rarest callers'.
	 */
	static final int MAX_ENTRIES = 100_000;

	private final Authorizer delegate;

	private final Duration refresh;

	private final Duration maxStale;

	private final Clock clock;

	private final Cache<SpiffeId, Entry> entries;

	private final AtomicLong generation = new AtomicLong();

	private final LongAdder hits = new LongAdder();

	private final LongAdder misses = new LongAdder();

	private final LongAdder staleServed = new LongAdder();

	/**
	 * Creates a cache in front of an authorizer.
	 * @param delegate the authorizer asked on a miss
	 * @param refresh how long a decision is served without asking again, even without an intention change
	 * @param maxStale how old a decision may be and still be served while the delegate fails
	 * @param clock the clock for ages
	 */
	public CachingAuthorizer(Authorizer delegate, Duration refresh, Duration maxStale, Clock clock) {
		this(delegate, refresh, maxStale, clock, MAX_ENTRIES);
	}

	CachingAuthorizer(Authorizer delegate, Duration refresh, Duration maxStale, Clock clock, int maxEntries) {
		// Maintenance runs on the writing thread, a store at a time: no pool thread, and a bound that holds at once.
		this.entries = Caffeine.newBuilder().maximumSize(maxEntries).executor(Runnable::run).build();
		this.delegate = delegate;
		this.refresh = refresh;
		this.maxStale = maxStale;
		this.clock = clock;
	}

	@Override
	public Mono<Decision> authorize(SpiffeId caller) {
		Instant now = this.clock.instant();
		Entry entry = this.entries.getIfPresent(caller);
		if (entry != null && entry.generation() == this.generation.get()
				&& now.isBefore(entry.fetchedAt().plus(this.refresh))) {
			this.hits.increment();
			return Mono.just(entry.decision().fromCache());
		}
		this.misses.increment();
		long asked = this.generation.get();
		return this.delegate.authorize(caller).doOnNext((decision) -> store(caller, decision, asked)).onErrorResume((error) -> {
			Entry stale = this.entries.getIfPresent(caller);
			if (stale != null && this.clock.instant().isBefore(stale.fetchedAt().plus(this.maxStale))) {
				this.staleServed.increment();
				return Mono.just(stale.decision().fromCache());
			}
			return Mono.error(error);
		});
	}

	private void store(SpiffeId caller, Decision decision, long asked) {
		if (this.generation.get() != asked) {
			return;
		}
		this.entries.put(caller, new Entry(decision, this.clock.instant(), asked));
	}

	/**
	 * Marks every cached decision as outdated (an intention changed). Outdated decisions are no longer served as
	 * hits, but stay available to fail static while the agent is unreachable.
	 */
	public void invalidateAll() {
		this.generation.incrementAndGet();
	}

	/**
	 * Drops every cached decision, including those kept to fail static: for a new trust domain, where what was
	 * decided about the old mesh's callers means nothing.
	 */
	public void clear() {
		this.generation.incrementAndGet();
		this.entries.invalidateAll();
	}

	/**
	 * Returns cache statistics.
	 * @return hits, misses, stale decisions served, entries
	 */
	public Stats stats() {
		return new Stats(this.hits.sum(), this.misses.sum(), this.staleServed.sum(), (int) this.entries.estimatedSize());
	}

	/**
	 * Cache statistics.
	 * @param hits decisions answered from memory
	 * @param misses decisions asked of the delegate
	 * @param staleServed stale decisions served while the delegate failed
	 * @param entries cached callers
	 */
	public record Stats(long hits, long misses, long staleServed, int entries) {
	}

	private record Entry(Decision decision, Instant fetchedAt, long generation) {
	}

}
