package dev.connect.agent.http;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.connect.agent.index.BlockingQuery;
import dev.connect.agent.index.BlockingQuery.Watch;
import dev.connect.api.Indexed;
import dev.connect.agent.index.QueryOptions;
import dev.connect.agent.index.Topic;
import dev.connect.agent.intentions.IntentionStore;
import dev.connect.agent.intentions.InvalidIntentionException;
import dev.connect.api.Intention;
import io.netty.handler.codec.http.HttpMethod;
import reactor.core.publisher.Mono;

/**
 * {@code /v1/connect/intentions}: the exact API, the legacy ID API, list, match and check. As in Consul, missing
 * or malformed query parameters and refused writes are plain errors (500) with Consul's text; a body that is not
 * JSON is 400.
 */
final class IntentionsHandler {

	private static final String DECODE_FAILED = "Request decode failed: ";

	private final IntentionStore intentions;

	private final BlockingQuery queries;

	IntentionsHandler(IntentionStore intentions, BlockingQuery queries) {
		this.intentions = intentions;
		this.queries = queries;
	}

	void register(Router router) {
		router.add("/v1/connect/intentions", Set.of(HttpMethod.GET, HttpMethod.POST), this::root);
		router.add("/v1/connect/intentions/exact", Set.of(HttpMethod.GET, HttpMethod.PUT, HttpMethod.DELETE),
				this::exact);
		router.get("/v1/connect/intentions/match", this::match);
		router.get("/v1/connect/intentions/check", this::check);
		router.add("/v1/connect/intentions/", Set.of(HttpMethod.GET, HttpMethod.PUT, HttpMethod.DELETE), this::byId);
	}

	private Mono<Reply> root(Exchange exchange) {
		if (exchange.method().equals(HttpMethod.POST)) {
			return Mono.fromCallable(() -> {
				Intention request = Json.read(exchange.body(), Intention.class, DECODE_FAILED);
				String id = write(() -> this.intentions.create(request));
				return Reply.json(Json.write(Map.of("ID", id)));
			});
		}
		return blocking(exchange, this.intentions::list).map((list) -> Reply.json(Json.write(list.value()))
			.indexed(list.index()));
	}

	private Mono<Reply> exact(Exchange exchange) {
		String source = Names.of(exchange, "source").name();
		String destination = Names.of(exchange, "destination").name();
		if (exchange.method().equals(HttpMethod.PUT)) {
			return Mono.fromCallable(() -> {
				Intention request = Json.read(exchange.body(), Intention.class, DECODE_FAILED);
				String sourceNs = Names.of(exchange, "source").namespace();
				String destinationNs = Names.of(exchange, "destination").namespace();
				Intention scoped = new Intention(null, request.description(), sourceNs, source, destinationNs,
						destination, null, null, null, request.sourceType(), request.action(), request.permissions(),
						request.meta(), 0, null, null, 0, 0);
				write(() -> this.intentions.upsert(source, destination, scoped));
				return Reply.json(Json.write(true));
			});
		}
		if (exchange.method().equals(HttpMethod.DELETE)) {
			return Mono.fromCallable(() -> {
				this.intentions.delete(source, destination);
				return Reply.json(Json.write(true));
			});
		}
		return blocking(exchange, () -> {
			Indexed<List<Intention>> all = this.intentions.list();
			return new Indexed<>(all.index(), this.intentions.find(source, destination).orElse(null));
		}).map((found) -> {
			if (found.value() == null) {
				throw HttpError.notFound("Intention not found");
			}
			return Reply.json(Json.write(found.value())).indexed(found.index());
		});
	}

	private Mono<Reply> match(Exchange exchange) {
		List<String> by = exchange.params("by");
		if (by.size() != 1) {
			throw new HttpError(500, "required query parameter 'by' not set");
		}
		if (!by.get(0).equals("source") && !by.get(0).equals("destination")) {
			throw new HttpError(500, "'by' parameter must be one of 'source' or 'destination'");
		}
		List<String> names = exchange.params("name");
		if (names.isEmpty()) {
			throw new HttpError(500, "required query parameter 'name' not set");
		}
		names.forEach((name) -> Names.parse(name, "name"));
		boolean byDestination = by.get(0).equals("destination");
		return blocking(exchange, () -> this.intentions.match(byDestination, names))
			.map((matches) -> Reply.json(Json.write(matches.value())).indexed(matches.index()));
	}

	private Mono<Reply> check(Exchange exchange) {
		Names.Entry source = Names.of(exchange, "source");
		Names.Entry destination = Names.of(exchange, "destination");
		boolean allowed = this.intentions.decide(source.name(), destination.name()).allowed();
		return Mono.just(Reply.json(Json.write(Map.of("Allowed", allowed))));
	}

	private Mono<Reply> byId(Exchange exchange) {
		String id = exchange.remainder();
		try {
			UUID.fromString(id);
		}
		catch (IllegalArgumentException ex) {
			throw HttpError.badRequest("Invalid intention ID '" + id + "': must be a UUID");
		}
		if (exchange.method().equals(HttpMethod.PUT)) {
			return Mono.fromCallable(() -> {
				Intention request = Json.read(exchange.body(), Intention.class, DECODE_FAILED);
				if (this.intentions.byId(id).isEmpty()) {
					throw new HttpError(500, "Cannot modify non-existent intention: '" + id + "'");
				}
				write(() -> {
					this.intentions.update(id, request);
					return id;
				});
				return Reply.json(Json.write(Map.of("ID", id)));
			});
		}
		if (exchange.method().equals(HttpMethod.DELETE)) {
			return Mono.fromCallable(() -> {
				if (this.intentions.byId(id).isEmpty()) {
					throw new HttpError(500, "Cannot delete non-existent intention: '" + id + "'");
				}
				this.intentions.deleteById(id);
				return Reply.json(Json.write(true));
			});
		}
		return blocking(exchange, () -> new Indexed<>(this.intentions.list().index(),
				this.intentions.byId(id).orElse(null)))
			.map((found) -> {
				if (found.value() == null) {
					throw HttpError.notFound("Intention not found");
				}
				return Reply.json(Json.write(found.value())).indexed(found.index());
			});
	}

	private <T> Mono<Indexed<T>> blocking(Exchange exchange, java.util.function.Supplier<Indexed<T>> query) {
		QueryOptions options = BlockingParams.of(exchange);
		return this.queries.run(options, QueryOptions.DEFAULT_WAIT, List.of(Watch.of(Topic.INTENTIONS)), query);
	}

	private static <T> T write(java.util.function.Supplier<T> write) {
		try {
			return write.get();
		}
		catch (InvalidIntentionException ex) {
			throw new HttpError(500, ex.getMessage());
		}
	}

}
