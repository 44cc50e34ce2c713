package dev.connect.agent.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Rendered JSON per query and index. Many clients watch the same thing (every instance of a service watches its
 * upstream's health), and one change wakes them all with the same answer: render it once per index instead of
 * once per client. Entries are replaced when the index moves; the map is cleared when it grows past its bound.
 */
final class RenderedAnswers {

	private static final int MAX_ENTRIES = 4096;

	private final Map<String, Rendered> answers = new ConcurrentHashMap<>();

	byte[] render(String query, long index, Supplier<Object> answer) {
		Rendered cached = this.answers.get(query);
		if (cached != null && cached.index() == index) {
			return cached.body();
		}
		byte[] body = Json.write(answer.get());
		if (this.answers.size() >= MAX_ENTRIES) {
			this.answers.clear();
		}
		this.answers.put(query, new Rendered(index, body));
		return body;
	}

	private record Rendered(long index, byte[] body) {
	}

}
