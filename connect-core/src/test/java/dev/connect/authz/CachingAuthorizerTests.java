package dev.connect.authz;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.connect.identity.SpiffeId;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CachingAuthorizerTests {

	private static final SpiffeId WEB = SpiffeId.parse("spiffe://td.consul/ns/default/dc/dc1/svc/web");

	private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2031-02-03T04:05:06Z"));

	private final Clock clock = new Clock() {

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return CachingAuthorizerTests.this.now.get();
		}

	};

	private final AtomicInteger calls = new AtomicInteger();

	private final AtomicReference<Mono<Decision>> answer = new AtomicReference<>(
			Mono.just(new Decision(true, "Matched L4 intention", false)));

	private final CachingAuthorizer cache = new CachingAuthorizer((caller) -> {
		this.calls.incrementAndGet();
		return this.answer.get();
	}, Duration.ofMinutes(5), Duration.ofHours(1), this.clock);

	@Test
	void secondDecisionForACallerComesFromMemory() {
		assertThat(this.cache.authorize(WEB).block().cached()).isFalse();
		Decision second = this.cache.authorize(WEB).block();
		assertThat(second.allowed()).isTrue();
		assertThat(second.cached()).isTrue();
		assertThat(this.calls).hasValue(1);
		assertThat(this.cache.stats().hits()).isEqualTo(1);
	}

	@Test
	void anIntentionChangeMakesTheNextDecisionAskAgain() {
		this.cache.authorize(WEB).block();
		this.answer.set(Mono.just(new Decision(false, "Matched L4 intention: DENY", false)));
		this.cache.invalidateAll();
		assertThat(this.cache.authorize(WEB).block().allowed()).isFalse();
		assertThat(this.calls).hasValue(2);
	}

	@Test
	void aDecisionAskedBeforeAnIntentionChangeIsNotCachedAfterIt() {
		Sinks.One<Decision> slow = Sinks.one();
		this.answer.set(slow.asMono());
		Mono<Decision> inFlight = this.cache.authorize(WEB).cache();
		inFlight.subscribe();
		this.cache.invalidateAll();
		slow.tryEmitValue(new Decision(true, "old", false));
		assertThat(inFlight.block().allowed()).isTrue();
		this.answer.set(Mono.just(new Decision(false, "new", false)));
		assertThat(this.cache.authorize(WEB).block().reason()).isEqualTo("new");
	}

	@Test
	void decisionsAreRefreshedAfterTheRefreshInterval() {
		this.cache.authorize(WEB).block();
		this.now.set(this.now.get().plus(Duration.ofMinutes(6)));
		this.cache.authorize(WEB).block();
		assertThat(this.calls).hasValue(2);
	}

	@Test
	void whenTheAgentFailsACachedDecisionIsServedUntilMaxStaleThenTheErrorPassesOn() {
		this.cache.authorize(WEB).block();
		this.cache.invalidateAll();
		this.answer.set(Mono.error(new IllegalStateException("agent down")));
		this.now.set(this.now.get().plus(Duration.ofMinutes(30)));
		Decision stale = this.cache.authorize(WEB).block();
		assertThat(stale.allowed()).isTrue();
		assertThat(stale.cached()).isTrue();
		assertThat(this.cache.stats().staleServed()).isEqualTo(1);
		this.now.set(this.now.get().plus(Duration.ofMinutes(31)));
		assertThatThrownBy(() -> this.cache.authorize(WEB).block()).hasMessageContaining("agent down");
	}

	@Test
	void withoutACachedDecisionAnAgentFailureIsAnError() {
		this.answer.set(Mono.error(new IllegalStateException("agent down")));
		assertThatThrownBy(() -> this.cache.authorize(WEB).block()).hasMessageContaining("agent down");
	}


	@Test
	void whenTheCacheIsFullOnlyTheEntriesOverTheBoundAreEvictedAndTheRestStillServeWhileTheAgentFails() {
		CachingAuthorizer small = new CachingAuthorizer((caller) -> this.answer.get(), Duration.ofMinutes(5),
				Duration.ofHours(1), this.clock, 100);
		for (int i = 0; i < 110; i++) {
			small.authorize(caller(i)).block();
		}
		assertThat(small.stats().entries()).isEqualTo(100);
		this.answer.set(Mono.error(new IllegalStateException("agent unreachable")));
		small.invalidateAll();
		int served = 0;
		for (int i = 0; i < 110; i++) {
			served += small.authorize(caller(i)).onErrorResume((error) -> Mono.empty()).blockOptional().isPresent() ? 1 : 0;
		}
		assertThat(served).as("callers still decided from the stale cache, not a cleared one").isEqualTo(100);
	}

	private static SpiffeId caller(int i) {
		return SpiffeId.parse("spiffe://td.consul/ns/default/dc/dc1/svc/caller-" + i);
	}

}
