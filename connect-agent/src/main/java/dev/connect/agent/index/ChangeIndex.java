package dev.connect.agent.index;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The agent's modify index: one counter for the whole agent, like Consul's raft index, and the last index at
 * which each topic (optionally narrowed by a key, such as a service name) changed.
 * <p>
 * Waiting is done with signals, not threads: {@link #nextChange(Topic, String)} returns a {@link Mono} that
 * completes at the next change of that topic and key. Capture it <em>before</em> reading the state you will
 * answer from; a change in between then completes it at once, so no change is ever missed.
 */
public final class ChangeIndex {

	private final AtomicLong counter;

	private final Map<Key, Entry> entries = new ConcurrentHashMap<>();

	private final List<Consumer<Topic>> listeners = new CopyOnWriteArrayList<>();

	/**
	 * Creates an index whose next write gets {@code last + 1}.
	 * @param last the last index handed out (0 for a new agent)
	 */
	public ChangeIndex(long last) {
		this.counter = new AtomicLong(last);
	}

	/**
	 * Records a change of a topic whose new state is already visible to readers: takes the next index and
	 * publishes it.
	 * @param topic the topic
	 * @param key the key within the topic, or {@code ""}
	 * @return the new index
	 */
	public long bump(Topic topic, String key) {
		long index = next();
		publish(topic, key, index);
		return index;
	}

	/**
	 * Takes the next index for a change that is not visible yet. Stamp the new state with it, make the state
	 * visible, then {@link #publish} the index: a query woken by the signal must find the new state, or it would
	 * go back to waiting.
	 * @return the new index
	 */
	public long next() {
		return this.counter.incrementAndGet();
	}

	/**
	 * Records that a topic (and key, when not empty) changed at an index taken with {@link #next()}, and wakes the
	 * queries waiting on either.
	 * @param topic the topic
	 * @param key the key within the topic, or {@code ""}
	 * @param index the index of the change
	 */
	public void publish(Topic topic, String key, long index) {
		boolean advanced = entry(topic, "").advance(index);
		if (!key.isEmpty()) {
			entry(topic, key).advance(index);
		}
		if (advanced) {
			this.listeners.forEach((listener) -> listener.accept(topic));
		}
	}

	/**
	 * Adds a listener called, on the writing thread and after the new state is visible, when a topic's index
	 * advances: once per write, however many keys the write publishes. The data directory persists state this
	 * way.
	 * @param listener the listener
	 */
	public void onPublish(Consumer<Topic> listener) {
		this.listeners.add(listener);
	}

	/**
	 * Returns the last index handed out, without recording a change (for state that carries its own index,
	 * such as a configuration loaded from disk).
	 * @return the current last index
	 */
	public long last() {
		return this.counter.get();
	}

	/**
	 * Returns the index of the last change of a topic and key; never 0, as Consul never answers 0.
	 * @param topic the topic
	 * @param key the key, or {@code ""} for the whole topic
	 * @return the index, at least 1
	 */
	public long index(Topic topic, String key) {
		return Math.max(1, entry(topic, key).index);
	}

	/**
	 * Returns a signal that completes at the next change of the topic and key after this call.
	 * @param topic the topic
	 * @param key the key, or {@code ""} for any change of the topic
	 * @return the signal
	 */
	public Mono<Void> nextChange(Topic topic, String key) {
		return entry(topic, key).next.asMono();
	}

	private Entry entry(Topic topic, String key) {
		Objects.requireNonNull(topic, "'topic' must not be null");
		return this.entries.computeIfAbsent(new Key(topic, key), (k) -> new Entry());
	}

	private record Key(Topic topic, String key) {
	}

	private static final class Entry {

		private volatile long index;

		private volatile Sinks.One<Void> next = Sinks.one();

		synchronized boolean advance(long index) {
			boolean advanced = index > this.index;
			this.index = Math.max(this.index, index);
			Sinks.One<Void> fired = this.next;
			this.next = Sinks.one();
			fired.tryEmitEmpty();
			return advanced;
		}

	}

}
