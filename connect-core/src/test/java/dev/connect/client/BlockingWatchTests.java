package dev.connect.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;

import dev.connect.api.Indexed;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

class BlockingWatchTests {

	private final List<Long> askedWith = new CopyOnWriteArrayList<>();

	private final List<Indexed<String>> emitted = new CopyOnWriteArrayList<>();

	private Disposable watch(Queue<Object> script) {
		return new BlockingWatch<String>("test", Duration.ofSeconds(1), (index, wait) -> {
			this.askedWith.add(index);
			Object next = script.poll();
			if (next == null) {
				return Mono.never();
			}
			if (next instanceof RuntimeException error) {
				return Mono.error(error);
			}
			@SuppressWarnings("unchecked")
			Indexed<String> answer = (Indexed<String>) next;
			return Mono.just(answer);
		}, RandomGenerator.getDefault(), (error) -> {
		}).flux().subscribe(this.emitted::add);
	}

	private static Queue<Object> script(Object... steps) {
		return new ConcurrentLinkedQueue<>(List.of(steps));
	}

	private void awaitCalls(int calls) throws InterruptedException {
		long deadline = System.nanoTime() + 5_000_000_000L;
		while (this.askedWith.size() < calls && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(this.askedWith).hasSizeGreaterThanOrEqualTo(calls);
	}

	@Test
	void firstCallDoesNotBlockAndLaterCallsBlockOnTheLastIndex() throws Exception {
		Disposable watch = watch(script(new Indexed<>(5, "a"), new Indexed<>(5, "a"), new Indexed<>(7, "b")));
		awaitCalls(4);
		watch.dispose();
		assertThat(this.askedWith.subList(0, 4)).containsExactly(0L, 5L, 5L, 7L);
		assertThat(this.emitted).extracting(Indexed::value).containsExactly("a", "b");
	}

	@Test
	void whenTheIndexGoesBackwardsTheWatchResetsAndReadsAgainAtOnce() throws Exception {
		Disposable watch = watch(script(new Indexed<>(50, "old"), new Indexed<>(3, "restarted"),
				new Indexed<>(3, "restarted")));
		awaitCalls(4);
		watch.dispose();
		assertThat(this.askedWith.subList(0, 4)).containsExactly(0L, 50L, 0L, 3L);
		assertThat(this.emitted).extracting(Indexed::index).containsExactly(50L, 3L);
	}

	@Test
	void anIndexOfZeroIsTreatedAsOne() throws Exception {
		Disposable watch = watch(script(new Indexed<>(0, "zero")));
		awaitCalls(2);
		watch.dispose();
		assertThat(this.askedWith.subList(0, 2)).containsExactly(0L, 1L);
		assertThat(this.emitted).extracting(Indexed::index).containsExactly(1L);
	}

	@Test
	void errorsAreRetriedWithoutBeingEmitted() throws Exception {
		Disposable watch = watch(script(new IllegalStateException("agent down"), new IllegalStateException("agent down"),
				new Indexed<>(9, "back")));
		awaitCalls(3);
		watch.dispose();
		assertThat(this.askedWith.subList(0, 3)).containsExactly(0L, 0L, 0L);
		assertThat(this.emitted).extracting(Indexed::value).containsExactly("back");
	}

	@Test
	void anAgentThatNeverBlocksIsRateLimited() throws Exception {
		List<Object> steps = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			steps.add(new Indexed<>(4, "same"));
		}
		Disposable watch = watch(new ConcurrentLinkedQueue<>(steps));
		Thread.sleep(1000);
		watch.dispose();
		// Burst 2, then one call per 100 ms: about 12 calls in a second, never a busy loop.
		assertThat(this.askedWith.size()).isBetween(5, 16);
	}

	@Test
	void backoffStartsAfterThreeFailuresDoublesAndIsCappedWithJitter() {
		RandomGenerator random = RandomGenerator.getDefault();
		assertThat(BlockingWatch.backoff(1, random)).isZero();
		assertThat(BlockingWatch.backoff(3, random)).isZero();
		assertThat(BlockingWatch.backoff(4, random)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
		assertThat(BlockingWatch.backoff(5, random)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
		assertThat(BlockingWatch.backoff(20, random)).isBetween(Duration.ofSeconds(60), Duration.ofSeconds(120));
	}

}
