package dev.connect.agent.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.connect.agent.config.ConfigEntryStore;
import dev.connect.agent.config.InvalidConfigEntryException;
import dev.connect.agent.index.BlockingQuery.Watch;
import dev.connect.agent.index.BlockingQuery;
import dev.connect.agent.index.QueryOptions;
import dev.connect.agent.index.Topic;
import dev.connect.agent.intentions.IntentionStore;
import dev.connect.agent.intentions.InvalidIntentionException;
import dev.connect.api.Indexed;
import dev.connect.api.Intention;
import io.netty.handler.codec.http.HttpMethod;
import reactor.core.publisher.Mono;

/**
 * {@code /v1/connect/intentions}: the exact API, the legacy ID API, list, match and check. As in Consul, missing
 * or malformed query parameters and refused writes are plain errors (500) with Consul's text; a body that is not
 * JSON is 400. Reads for another datacenter have no path to it; writes go to the primary datacenter, this one,
 * whatever {@code ?dc=} they name (Consul's {@code Intention.Apply}).
 */
final class IntentionsHandler {

	private static final String DECODE_FAILED = "Request decode failed: ";

	private final IntentionStore intentions;

	private final BlockingQuery queries;

	private final Datacenter datacenter;

	IntentionsHandler(IntentionStore intentions, BlockingQuery queries, Datacenter datacenter) {
		this.intentions = intentions;
		this.queries = queries;
		this.datacenter = datacenter;
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
				Intention request = decodedPermissions(LegacyIntentionBodies.create(exchange.body()));
				String id = write(() -> this.intentions.create(request));
				return Reply.json(Json.write(Map.of("ID", id)));
			});
		}
		QueryOptions options = BlockingParams.of(exchange);
		this.datacenter.route(exchange);
		return blocking(options, this.intentions::list).map((list) -> Reply.json(Json.write(list.value()))
			.indexed(list.index()));
	}

	private Mono<Reply> exact(Exchange exchange) {
		if (exchange.method().equals(HttpMethod.GET)) {
			return exactRead(exchange);
		}
		String sourceText = Names.required(exchange, "source", true);
		String destinationText = Names.required(exchange, "destination", true);
		Names.Entry source = Names.parse(sourceText, "source", false);
		Names.Entry destination = Names.parse(destinationText, "destination", false);
		// Consul CE drops a partition or namespace here and writes the local name; refusing is the only answer
		// that cannot turn an intention meant for elsewhere into a local one. The texts are CE's for the same
		// refusal on its other intention writes.
		requireLocal(source, "source");
		requireLocal(destination, "destination");
		if (exchange.method().equals(HttpMethod.DELETE)) {
			return Mono.fromCallable(() -> {
				this.intentions.delete(source.name(), destination.name());
				return Reply.json(Json.write(true));
			});
		}
		return Mono.fromCallable(() -> {
			Intention request = decodedPermissions(Json.read(exchange.body(), Intention.class, DECODE_FAILED));
			// The names come from the path; the body gives only what the exact API takes from it.
			Intention scoped = Intention.of(source.name(), destination.name(), "")
				.withDescription(request.description())
				.withSourceType(request.sourceType())
				.withAction(request.action(), request.permissions())
				.withMeta(request.meta());
			write(() -> this.intentions.upsert(source.name(), destination.name(), scoped));
			return Reply.json(Json.write(true));
		});
	}

	private static void requireLocal(Names.Entry entry, String side) {
		LegacyIntentionBodies.requireLocal(entry, side);
	}

	/** The source may name a peer; no intention here is for a peer, so such a read finds none. */
	private Mono<Reply> exactRead(Exchange exchange) {
		QueryOptions options = BlockingParams.of(exchange);
		String sourceText = Names.required(exchange, "source", false);
		String destinationText = Names.required(exchange, "destination", false);
		Names.Entry source = Names.parse(sourceText, "source", true);
		Names.Entry destination = Names.parse(destinationText, "destination", false);
		// As in Consul, the request goes to a server before the server looks at namespaces.
		this.datacenter.route(exchange);
		if (!source.inDefaultNamespace()) {
			throw Names.namespaceRefused("SourceNS", source.namespace());
		}
		if (!destination.inDefaultNamespace()) {
			throw Names.namespaceRefused("DestinationNS", destination.namespace());
		}
		// Consul CE ignores a partition here; a partition-qualified name is refused rather than read as local.
		requireLocal(source, "source");
		requireLocal(destination, "destination");
		return blocking(options, () -> {
			Indexed<List<Intention>> all = this.intentions.list();
			Optional<Intention> found = this.intentions.find(source.peer(), source.name(), destination.name());
			return new Indexed<>(all.index(), found);
		}).map((found) -> found.value()
			.map((intention) -> Reply.json(Json.write(intention)).indexed(found.index()))
			.orElseThrow(() -> HttpError.notFound("Intention not found")));
	}

	private Mono<Reply> match(Exchange exchange) {
		QueryOptions options = BlockingParams.of(exchange);
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
		List<Names.Entry> entries = names.stream().map((name) -> Names.parse(name, "name", false)).toList();
		this.datacenter.route(exchange);
		for (Names.Entry entry : entries) {
			if (!entry.inDefaultNamespace()) {
				throw Names.namespaceRefused("match entry namespace", entry.namespace());
			}
			if (!entry.inDefaultPartition()) {
				throw Names.partitionRefused("match entry partition", entry.partition());
			}
		}
		boolean byDestination = by.get(0).equals("destination");
		return blocking(options, () -> {
			Indexed<Map<String, List<Intention>>> matches = this.intentions.match(byDestination,
					entries.stream().map(Names.Entry::name).toList());
			// Answers are keyed by the names as the caller wrote them.
			Map<String, List<Intention>> answer = new java.util.LinkedHashMap<>();
			for (int i = 0; i < names.size(); i++) {
				answer.put(names.get(i), matches.value().get(entries.get(i).name()));
			}
			return new Indexed<>(matches.index(), answer);
		}).map((matches) -> Reply.json(Json.write(matches.value())).indexed(matches.index()));
	}

	private Mono<Reply> check(Exchange exchange) {
		String sourceText = Names.required(exchange, "source", false);
		String destinationText = Names.required(exchange, "destination", false);
		Names.Entry source = Names.parse(sourceText, "source", false);
		Names.Entry destination = Names.parse(destinationText, "destination", false);
		this.datacenter.route(exchange);
		if (!source.inDefaultNamespace()) {
			throw Names.namespaceRefused("source namespace", source.namespace());
		}
		if (!destination.inDefaultNamespace()) {
			throw Names.namespaceRefused("destination namespace", destination.namespace());
		}
		// Consul CE ignores a partition here; answering for the local service would be the defect this prevents.
		requireLocal(source, "source");
		requireLocal(destination, "destination");
		boolean allowed = this.intentions.decide(source.name(), destination.name()).allowed();
		return Mono.just(Reply.json(Json.write(Map.of("Allowed", allowed))));
	}

	private Mono<Reply> byId(Exchange exchange) {
		String id = exchange.remainder();
		if (exchange.method().equals(HttpMethod.PUT)) {
			requireUuid(id);
			return updateById(exchange, id);
		}
		if (exchange.method().equals(HttpMethod.DELETE)) {
			requireUuid(id);
			return deleteById(id);
		}
		QueryOptions options = BlockingParams.of(exchange);
		// Consul checks the ID on a server, once the request got there.
		this.datacenter.route(exchange);
		requireUuid(id);
		return blocking(options, () -> new Indexed<>(this.intentions.list().index(), this.intentions.byId(id)))
			.map((found) -> found.value()
				.map((intention) -> Reply.json(Json.write(intention)).indexed(found.index()))
				.orElseThrow(() -> HttpError.notFound("Intention not found")));
	}

	private static void requireUuid(String id) {
		try {
			UUID.fromString(id);
		}
		catch (IllegalArgumentException ex) {
			throw HttpError.badRequest("Invalid intention ID '" + id + "': must be a UUID");
		}
	}

	private Mono<Reply> updateById(Exchange exchange, String id) {
		return Mono.fromCallable(() -> {
			Intention request = decodedPermissions(LegacyIntentionBodies.update(exchange.body()));
			if (this.intentions.byId(id).isEmpty()) {
				throw new HttpError(500, "Cannot modify non-existent intention: '" + id + "'");
			}
			LegacyIntentionBodies.requireDefaultNamespaces(request);
			write(() -> {
				this.intentions.update(id, request);
				return id;
			});
			return Reply.json(Json.write(Map.of("ID", id)));
		});
	}

	private Mono<Reply> deleteById(String id) {
		return Mono.fromCallable(() -> {
			if (this.intentions.byId(id).isEmpty()) {
				throw new HttpError(500, "Cannot delete non-existent intention: '" + id + "'");
			}
			this.intentions.deleteById(id);
			return Reply.json(Json.write(true));
		});
	}

	private <T> Mono<Indexed<T>> blocking(QueryOptions options, java.util.function.Supplier<Indexed<T>> query) {
		return this.queries.run(options, QueryOptions.DEFAULT_WAIT, List.of(Watch.of(Topic.INTENTIONS)), query);
	}

	/**
	 * Decodes L7 permissions with Consul's field names, refusing a key Consul's decoder does not know (Go's
	 * {@code json: unknown field}) instead of storing what nothing would enforce.
	 */
	private static Intention decodedPermissions(Intention request) {
		List<Map<String, Object>> permissions = request.permissions();
		if (permissions == null || permissions.isEmpty()) {
			return request;
		}
		try {
			return request.withAction(request.action(), ConfigEntryStore.decodePermissions(permissions));
		}
		catch (InvalidConfigEntryException ex) {
			throw HttpError.badRequest(DECODE_FAILED + ex.getMessage());
		}
	}

	private static <T> T write(java.util.function.Supplier<T> write) {
		try {
			return write.get();
		}
		catch (InvalidIntentionException ex) {
			throw HttpError.of(500, ex);
		}
		catch (InvalidConfigEntryException ex) {
			throw ex.decoding() ? HttpError.badRequest(ConfigHandler.DECODING_FAILED + ex.getMessage())
					: HttpError.of(500, ex);
		}
	}

}
