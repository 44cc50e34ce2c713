package dev.connect.agent.index;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.connect.agent.index.BlockingQuery.Watch;
import dev.connect.api.Indexed;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

class BlockingQueryTests {

	private final ChangeIndex changes = new ChangeIndex(0);

	private final BlockingQuery queries = new BlockingQuery(this.changes);

	private final AtomicInteger runs = new AtomicInteger();

	private Indexed<String> catalog() {
		this.runs.incrementAndGet();
		return new Indexed<>(this.changes.index(Topic.CATALOG, ""), "state@" + this.changes.index(Topic.CATALOG, ""));
	}

	private Mono<Indexed<String>> query(long index, Duration wait) {
		return this.queries.run(new QueryOptions(index, wait), QueryOptions.DEFAULT_WAIT,
				List.of(Watch.of(Topic.CATALOG)), this::catalog);
	}

	@Test
	void withoutAnIndexTheQueryRunsOnceAndAnswersAtOnce() {
		this.changes.bump(Topic.CATALOG, "");
		assertThat(query(0, Duration.ZERO).block(Duration.ofSeconds(1)).index()).isEqualTo(1);
		assertThat(this.runs).hasValue(1);
	}

	@Test
	void anIndexBelowOneIsAnsweredAsOne() {
		assertThat(query(0, Duration.ZERO).block(Duration.ofSeconds(1)).index()).isEqualTo(1);
	}

	@Test
	void whenTheIndexIsNewerThanTheClientsTheAnswerIsImmediate() {
		this.changes.bump(Topic.CATALOG, "");
		this.changes.bump(Topic.CATALOG, "");
		assertThat(query(1, Duration.ofMinutes(1)).block(Duration.ofSeconds(1)).index()).isEqualTo(2);
	}

	@Test
	void whenTheIndexWentBackwardsTheAnswerIsImmediateSoTheClientResets() {
		this.changes.bump(Topic.CATALOG, "");
		assertThat(query(50, Duration.ofMinutes(1)).block(Duration.ofSeconds(1)).index()).isEqualTo(1);
	}

	@Test
	void aBlockedQueryWakesOnAChangeOfItsTopic() {
		long index = this.changes.bump(Topic.CATALOG, "");
		Mono<Indexed<String>> blocked = query(index, Duration.ofMinutes(1)).cache();
		blocked.subscribe();
		this.changes.bump(Topic.CATALOG, "");
		Indexed<String> answer = blocked.block(Duration.ofSeconds(2));
		assertThat(answer.index()).isEqualTo(index + 1);
		assertThat(answer.value()).isEqualTo("state@" + (index + 1));
	}

	@Test
	void aChangeOfAnotherTopicDoesNotWakeTheQuery() {
		long index = this.changes.bump(Topic.CATALOG, "");
		Mono<Indexed<String>> blocked = query(index, Duration.ofMillis(300)).cache();
		blocked.subscribe();
		this.changes.bump(Topic.INTENTIONS, "");
		long started = System.nanoTime();
		Indexed<String> answer = blocked.block(Duration.ofSeconds(2));
		assertThat(answer.index()).isEqualTo(index);
		assertThat(this.runs).as("ran once before waiting and once at the timeout").hasValue(2);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(100));
	}

	@Test
	void aChangeThatLeavesTheAnswersIndexAloneKeepsItWaiting() {
		AtomicLong fixed = new AtomicLong(this.changes.bump(Topic.CATALOG, ""));
		Mono<Indexed<String>> blocked = this.queries
			.run(new QueryOptions(fixed.get(), Duration.ofMillis(300)), QueryOptions.DEFAULT_WAIT,
					List.of(Watch.of(Topic.CATALOG)), () -> {
						this.runs.incrementAndGet();
						return new Indexed<>(fixed.get(), "unchanged");
					})
			.cache();
		blocked.subscribe();
		this.changes.bump(Topic.CATALOG, "");
		assertThat(blocked.block(Duration.ofSeconds(2)).index()).isEqualTo(fixed.get());
		assertThat(this.runs.get()).isGreaterThanOrEqualTo(3);
	}

	@Test
	void whenTheWaitRunsOutTheCurrentAnswerIsReturned() {
		long index = this.changes.bump(Topic.CATALOG, "");
		long started = System.nanoTime();
		Indexed<String> answer = query(index, Duration.ofMillis(200)).block(Duration.ofSeconds(2));
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		assertThat(answer.index()).isEqualTo(index);
		assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(200));
	}

	@Test
	void waitIsCappedAtTenMinutesAndDefaultsWhenAbsent() {
		assertThat(new QueryOptions(1, Duration.ofHours(1)).effectiveWait(QueryOptions.DEFAULT_WAIT))
			.isEqualTo(Duration.ofMinutes(10));
		assertThat(new QueryOptions(1, Duration.ZERO).effectiveWait(QueryOptions.DEFAULT_WAIT))
			.isEqualTo(Duration.ofMinutes(5));
		assertThat(new QueryOptions(1, Duration.ofSeconds(-3)).effectiveWait(Duration.ofMinutes(10)))
			.isEqualTo(Duration.ofMinutes(10));
	}

	@Test
	void tenThousandBlockedQueriesAllWakeOnOneChange() throws InterruptedException {
		long index = this.changes.bump(Topic.CATALOG, "");
		AtomicInteger answered = new AtomicInteger();
		java.util.concurrent.CountDownLatch all = new java.util.concurrent.CountDownLatch(10_000);
		for (int i = 0; i < 10_000; i++) {
			query(index, Duration.ofMinutes(1)).subscribe((answer) -> {
				if (answer.index() > index) {
					answered.incrementAndGet();
				}
				all.countDown();
			});
		}
		Thread.sleep(100);
		assertThat(answered).as("nothing answers before the change").hasValue(0);
		this.changes.bump(Topic.CATALOG, "");
		assertThat(all.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
		assertThat(answered).hasValue(10_000);
	}

}
