package dev.connect.test;

import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

import javax.net.ssl.SSLPeerUnverifiedException;

import dev.connect.authz.Authorizer;
import dev.connect.identity.SpiffeId;
import dev.connect.pki.InvalidSvidException;
import dev.connect.pki.SvidValidator;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.ssl.SslHandler;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * What a {@link StubUpstream} answers: the caller (proven in the handshake) is authorized by the agent's intentions
 * as the starter's filter does it, then the request is answered from the stub's answers, and recorded before the
 * answer is sent.
 */
final class StubHandler implements BiFunction<HttpServerRequest, HttpServerResponse, Mono<Void>> {

	static final String NOT_ALLOWED = "The caller is not allowed to call this service.";

	static final String NO_IDENTITY = "The caller presented no mesh identity.";

	static final String NO_DECISION = "Authorization is unavailable; the request was not processed.";

	private final String service;

	private final Authorizer authorizer;

	private final Map<String, Answer> answers = new ConcurrentHashMap<>();

	private final List<StubUpstream.ReceivedRequest> requests = new CopyOnWriteArrayList<>();

	StubHandler(String service, Authorizer authorizer) {
		this.service = service;
		this.authorizer = authorizer;
	}

	void answer(String method, String path, Answer answer) {
		this.answers.put(method + " " + path, answer);
	}

	List<StubUpstream.ReceivedRequest> requests() {
		return List.copyOf(this.requests);
	}

	@Override
	public Mono<Void> apply(HttpServerRequest request, HttpServerResponse response) {
		AtomicReference<@Nullable SpiffeId> caller = new AtomicReference<>();
		request.withConnection((connection) -> caller.set(callerOf(connection.channel())));
		String method = request.method().name();
		String uri = request.uri();
		int query = uri.indexOf('?');
		String path = (query < 0) ? uri : uri.substring(0, query);
		Map<String, List<String>> headers = Headers.of(request.requestHeaders());
		return request.receive()
			.aggregate()
			.asString(StandardCharsets.UTF_8)
			.defaultIfEmpty("")
			.flatMap((body) -> decide(caller.get(), method, path).map((answer) -> {
				SpiffeId id = caller.get();
				this.requests.add(new StubUpstream.ReceivedRequest((id != null) ? id.toString() : null, method, path,
						(query < 0) ? "" : uri.substring(query + 1), headers, body, answer.status()));
				return answer;
			}))
			.flatMap((answer) -> send(answer, response));
	}

	private Mono<Answer> decide(@Nullable SpiffeId caller, String method, String path) {
		if (caller == null) {
			return Mono.just(Answer.problem(403, "Forbidden", NO_IDENTITY));
		}
		return this.authorizer.authorize(caller)
			.map((decision) -> decision.allowed() ? route(method, path) : Answer.problem(403, "Forbidden", NOT_ALLOWED))
			.onErrorResume((error) -> Mono.just(Answer.problem(503, "Service Unavailable", NO_DECISION)));
	}

	private Answer route(String method, String path) {
		Answer answer = this.answers.get(method + " " + path);
		return (answer != null) ? answer : Answer.of(404, "No stub answer for " + method + " " + path + " on '"
				+ this.service + "': add one with respond(\"" + method + "\", \"" + path + "\", status, body)", Map.of());
	}

	private static Mono<Void> send(Answer answer, HttpServerResponse response) {
		byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
		response.status(answer.status());
		answer.headers().forEach(response::header);
		response.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
		return response.sendByteArray(Mono.just(body)).then();
	}

	private static @Nullable SpiffeId callerOf(Channel channel) {
		SslHandler ssl = channel.pipeline().get(SslHandler.class);
		if (ssl == null) {
			return null;
		}
		try {
			Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
			return SvidValidator.spiffeIdOf((X509Certificate) chain[0]);
		}
		catch (SSLPeerUnverifiedException | InvalidSvidException ex) {
			return null;
		}
	}

	/**
	 * One answer.
	 * @param status the status
	 * @param body the body, sent as UTF-8
	 * @param headers the headers, including {@code Content-Type}
	 */
	record Answer(int status, String body, Map<String, String> headers) {

		/** A body's type when the stub's user names none: JSON when it looks like JSON, else plain text. */
		static Answer of(int status, String body, Map<String, String> headers) {
			boolean typed = headers.keySet().stream().anyMatch("Content-Type"::equalsIgnoreCase);
			if (typed) {
				return new Answer(status, body, Map.copyOf(headers));
			}
			String start = body.stripLeading();
			String type = (start.startsWith("{") || start.startsWith("[")) ? "application/json"
					: "text/plain;charset=UTF-8";
			Map<String, String> withType = new HashMap<>(headers);
			withType.put("Content-Type", type);
			return new Answer(status, body, Map.copyOf(withType));
		}

		/** The starter's refusal, so an app sees the same answer from the stub as from a real service. */
		static Answer problem(int status, String title, String detail) {
			return new Answer(status, "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
					+ ",\"detail\":\"" + detail + "\"}", Map.of("Content-Type", "application/problem+json"));
		}

	}

}
