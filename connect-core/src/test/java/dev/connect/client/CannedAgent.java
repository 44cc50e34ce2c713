package dev.connect.client;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * An agent that answers with what a test scripts, on 127.0.0.1 and port 0: per path (without the query), a queue
 * of answers, the last of which is repeated. It stands in for a misbehaving agent, or a proxy in front of one.
 */
final class CannedAgent implements AutoCloseable {

	private final Map<String, Queue<Answer>> answers = new ConcurrentHashMap<>();

	private final Map<String, Answer> last = new ConcurrentHashMap<>();

	private final DisposableServer server;

	CannedAgent() {
		this.server = HttpServer.create().host("127.0.0.1").port(0).handle((request, response) -> {
			String path = request.uri().contains("?") ? request.uri().substring(0, request.uri().indexOf('?'))
					: request.uri();
			Queue<Answer> queue = this.answers.get(path);
			Answer answer = (queue != null) ? queue.poll() : null;
			if (answer != null) {
				this.last.put(path, answer);
			}
			else {
				answer = this.last.get(path);
			}
			if (answer == null) {
				return response.status(404).sendString(Mono.just("no answer scripted for " + path)).then();
			}
			Mono<Void> delay = (answer.blocking() && request.uri().contains("index=")) ? Mono.delay(Duration.ofMillis(200)).then()
					: Mono.empty();
			Answer chosen = answer;
			return delay.then(response.header("X-Consul-Index", Long.toString(chosen.index()))
				.header("Content-Type", "application/json")
				.sendString(Mono.just(chosen.body()))
				.then());
		}).bindNow();
	}

	/**
	 * Adds answers to a path, given in the order they are served.
	 * @param path the path, without the query
	 * @param index the index every one of them carries
	 * @param bodies the bodies
	 * @return this agent
	 */
	CannedAgent answer(String path, long index, String... bodies) {
		Queue<Answer> queue = this.answers.computeIfAbsent(path, (key) -> new ConcurrentLinkedQueue<>());
		for (String body : bodies) {
			queue.add(new Answer(index, body, true));
		}
		return this;
	}

	AgentClient client() {
		return AgentClient.create(AgentClientSettings.defaults().withAddress(URI.create(url())));
	}

	String url() {
		return "http://127.0.0.1:" + this.server.port();
	}

	@Override
	public void close() {
		this.server.disposeNow();
	}

	private record Answer(long index, String body, boolean blocking) {
	}

}
