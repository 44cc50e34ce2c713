package dev.connect.agent.index;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import dev.connect.api.Indexed;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Consul's blocking query ({@code agent/blockingquery}), without a thread per waiting query. The contract a
 * query function and this loop follow:
 * <ol>
 * <li>The query function reads the current state and returns the answer with the index it reflects. It is cheap
 * and side-effect free, because it may run several times for one request.</li>
 * <li>An index below 1 is answered as 1: a client must never see index 0.</li>
 * <li>Without {@code ?index} (or with 0) the query runs once and answers at once.</li>
 * <li>With {@code ?index=N}, an answer whose index differs from N is returned at once. Above N means news; below
 * N means the index went backwards (for example after the agent restarted without a data dir), and returning at
 * once lets the client reset, as Consul's client rules require.</li>
 * <li>Otherwise the loop waits for a change of one of the query's topics, then runs the query again and applies
 * rule 4; a change that leaves the answer's index at N keeps it waiting.</li>
 * <li>The wait is {@code ?wait} (default 5 minutes, or the endpoint's own), at most 10 minutes, plus a random
 * jitter of up to 1/16 of it so that many clients do not return together. When it runs out the current answer
 * is returned with status 200.</li>
 * <li>The change signal is taken before the query runs, so a change between reading the state and starting to
 * wait still wakes the query.</li>
 * </ol>
 */
public final class BlockingQuery {

	private static final int JITTER_FRACTION = 16;

	private final ChangeIndex changes;

	/**
	 * Creates the loop over an index.
	 * @param changes the agent's change index
	 */
	public BlockingQuery(ChangeIndex changes) {
		this.changes = changes;
	}

	/**
	 * Runs a query under the contract above.
	 * @param <T> the answer type
	 * @param options the client's index and wait
	 * @param defaultWait the wait when the client gives none
	 * @param watched the topics and keys whose changes can change the answer
	 * @param query the query function
	 * @return the answer, when rule 3, 4 or 6 says so
	 */
	public <T> Mono<Indexed<T>> run(QueryOptions options, Duration defaultWait, List<Watch> watched,
			Supplier<Indexed<T>> query) {
		if (!options.blocking()) {
			return Mono.fromSupplier(() -> normalize(query.get()));
		}
		Duration wait = options.effectiveWait(defaultWait);
		long jitterNanos = ThreadLocalRandom.current().nextLong(Math.max(1, wait.toNanos() / JITTER_FRACTION));
		long deadline = System.nanoTime() + wait.toNanos() + jitterNanos;
		return Mono.defer(() -> attempt(options.index(), deadline, watched, query));
	}

	private <T> Mono<Indexed<T>> attempt(long seen, long deadline, List<Watch> watched, Supplier<Indexed<T>> query) {
		Mono<Void> change = Mono.firstWithSignal(
				watched.stream().map((watch) -> this.changes.nextChange(watch.topic(), watch.key())).toList());
		Indexed<T> answer = normalize(query.get());
		long remaining = deadline - System.nanoTime();
		if (answer.index() != seen || remaining <= 0) {
			return Mono.just(answer);
		}
		// A change wakes every waiter on the writer's thread; continue on the parallel workers so that thousands
		// of woken queries are answered by every core, not one after the other on the writer's event loop.
		return change.then(Mono.just(true))
			.timeout(Duration.ofNanos(remaining), Mono.just(false))
			.publishOn(Schedulers.parallel())
			.flatMap((changed) -> changed ? attempt(seen, deadline, watched, query)
					: Mono.fromSupplier(() -> normalize(query.get())));
	}

	private static <T> Indexed<T> normalize(Indexed<T> answer) {
		return (answer.index() < 1) ? new Indexed<>(1, answer.value()) : answer;
	}

	/**
	 * A topic and key a query depends on.
	 * @param topic the topic
	 * @param key the key within it, or {@code ""} for any change
	 */
	public record Watch(Topic topic, String key) {

		/**
		 * Watches every change of a topic.
		 * @param topic the topic
		 * @return the watch
		 */
		public static Watch of(Topic topic) {
			return new Watch(topic, "");
		}

	}

}
