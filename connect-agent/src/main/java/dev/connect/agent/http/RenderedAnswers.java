package dev.connect.agent.http;

import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Rendered JSON per query and index. Many clients watch the same thing (every instance of a service watches its
 * upstream's health), and one change wakes them all with the same answer: render it once per index instead of
 * once per client. An entry is replaced when the index of its query moves.
 */
final class RenderedAnswers {

	/**
	 * How many queries are kept. Past it Caffeine evicts one entry at a time, the least likely to be asked again
	 * (W-TinyLFU), never the whole cache: the answers many watchers share stay.
	 */
	static final int MAX_ENTRIES = 4096;

	// Maintenance runs on the writing thread: no pool thread in the agent, and the bound holds at once.
	private final Cache<String, Rendered> answers = Caffeine.newBuilder()
		.maximumSize(MAX_ENTRIES)
		.executor(Runnable::run)
		.build();

	byte[] render(String query, long index, Supplier<Object> answer) {
		Rendered cached = this.answers.getIfPresent(query);
		if (cached != null && cached.index() == index) {
			return cached.body();
		}
		byte[] body = Json.write(answer.get());
		this.answers.put(query, new Rendered(index, body));
		return body;
	}

	private record Rendered(long index, byte[] body) {
	}

}
