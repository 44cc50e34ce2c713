package dev.connect.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Predicate;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;

/**
 * A misbehaving agent for tests: it forwards requests to a real agent, except those a rule picks, which it answers
 * with garbage or never answers at all.
 */
public final class FakeAgent implements AutoCloseable {

	private final DisposableServer server;

	private FakeAgent(DisposableServer server) {
		this.server = server;
	}

	/**
	 * Starts a fake in front of a real agent.
	 * @param real the real agent's base URL
	 * @param hang requests that never get an answer
	 * @param garbage requests answered 200 with a body that is not JSON
	 * @return the running fake
	 */
	public static FakeAgent start(String real, Predicate<HttpServerRequest> hang, Predicate<HttpServerRequest> garbage) {
		return start(real, hang, garbage, "<html>not the agent</html>");
	}

	/**
	 * Starts a fake in front of a real agent that answers the requests a rule picks with 200 and a given body,
	 * JSON or not, and forwards every other request.
	 * @param real the real agent's base URL
	 * @param answered the requests answered with the body
	 * @param body the body
	 * @return the running fake
	 */
	public static FakeAgent answering(String real, Predicate<HttpServerRequest> answered, String body) {
		return start(real, (request) -> false, answered, body);
	}

	private static FakeAgent start(String real, Predicate<HttpServerRequest> hang, Predicate<HttpServerRequest> garbage,
			String garbageBody) {
		HttpClient http = HttpClient.newHttpClient();
		DisposableServer server = HttpServer.create().host("127.0.0.1").port(0).handle((request, response) -> {
			if (hang.test(request)) {
				return Mono.never();
			}
			if (garbage.test(request)) {
				return response.header("X-Consul-Index", "5").sendString(Mono.just(garbageBody)).then();
			}
			return request.receive().aggregate().asString().defaultIfEmpty("").flatMap((body) -> Mono.fromCallable(() -> {
				HttpRequest.BodyPublisher publisher = body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
						: HttpRequest.BodyPublishers.ofString(body);
				return http.send(HttpRequest.newBuilder(URI.create(real + request.uri()))
					.method(request.method().name(), publisher)
					.build(), HttpResponse.BodyHandlers.ofString());
			}).subscribeOn(Schedulers.boundedElastic())).flatMap((answer) -> {
				answer.headers().firstValue("X-Consul-Index").ifPresent((index) -> response.header("X-Consul-Index", index));
				return response.status(answer.statusCode()).sendString(Mono.just(answer.body())).then();
			});
		}).bindNow();
		return new FakeAgent(server);
	}

	/**
	 * Returns the fake's base URL.
	 * @return the URL
	 */
	public String url() {
		return "http://127.0.0.1:" + this.server.port();
	}

	@Override
	public void close() {
		this.server.disposeNow();
	}

}
