package dev.connect.agent.http;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.connect.agent.config.ConfigEntry;
import dev.connect.agent.config.ConfigEntryStore;
import dev.connect.agent.config.InvalidConfigEntryException;
import dev.connect.agent.index.BlockingQuery;
import dev.connect.agent.index.BlockingQuery.Watch;
import dev.connect.agent.index.QueryOptions;
import dev.connect.agent.index.Topic;
import dev.connect.api.Indexed;
import io.netty.handler.codec.http.HttpMethod;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;

/**
 * {@code /v1/config}: Consul's config entry API ({@code agent/config_endpoint.go}). Writes answer {@code true} or
 * {@code false} (a lost check-and-set) and go to the primary datacenter, this one, whatever {@code ?dc=} names;
 * reads block on the kind's index. A body that cannot be decoded is 400 {@code Request decoding failed: ...}; an
 * entry that breaks a rule is a plain error (500) with Consul's text.
 */
final class ConfigHandler {

	static final String DECODING_FAILED = "Request decoding failed: ";

	private final ConfigEntryStore entries;

	private final BlockingQuery queries;

	private final Datacenter datacenter;

	ConfigHandler(ConfigEntryStore entries, BlockingQuery queries, Datacenter datacenter) {
		this.entries = entries;
		this.queries = queries;
		this.datacenter = datacenter;
	}

	void register(Router router) {
		router.add("/v1/config", Set.of(HttpMethod.PUT), this::apply);
		router.add("/v1/config/", Set.of(HttpMethod.GET, HttpMethod.DELETE), this::read);
	}

	private Mono<Reply> apply(Exchange exchange) {
		return Mono.fromCallable(() -> {
			Map<String, Object> raw = body(exchange.body());
			Long cas = cas(exchange);
			boolean applied = refusals(() -> this.entries.apply(raw, cas));
			return Reply.json(Json.write(applied));
		});
	}

	private static Map<String, Object> body(byte[] body) {
		try {
			Map<String, Object> raw = Json.MAPPER.readValue(body, new TypeReference<Map<String, Object>>() {
			});
			if (raw == null) {
				throw HttpError.badRequest(DECODING_FAILED + "Payload does not contain a kind/Kind key at the top level");
			}
			return raw;
		}
		catch (JacksonException ex) {
			throw HttpError.badRequest(DECODING_FAILED + ex.getOriginalMessage());
		}
	}

	/** Go's {@code strconv.ParseUint} error is a plain error, so Consul answers a bad {@code ?cas=} with 500. */
	private static @Nullable Long cas(Exchange exchange) {
		String text = exchange.param("cas");
		if (text == null || text.isEmpty()) {
			return null;
		}
		try {
			return Long.parseUnsignedLong(text);
		}
		catch (NumberFormatException ex) {
			throw new HttpError(500, "strconv.ParseUint: parsing \"" + text + "\": invalid syntax");
		}
	}

	private Mono<Reply> read(Exchange exchange) {
		String[] kindAndName = exchange.remainder().split("/", 2);
		String kind = kindAndName[0];
		if (exchange.method().equals(HttpMethod.DELETE)) {
			return delete(exchange, kindAndName);
		}
		QueryOptions options = BlockingParams.of(exchange);
		this.datacenter.route(exchange);
		if (!kind.isEmpty() && !ConfigEntryStore.isConsulKind(kind)) {
			throw new HttpError(500, "invalid config entry kind: " + kind);
		}
		List<Watch> watched = List.of(kind.isEmpty() ? Watch.of(Topic.CONFIG) : new Watch(Topic.CONFIG, kind));
		if (kindAndName.length == 2) {
			String name = kindAndName[1];
			return this.queries.run(options, QueryOptions.DEFAULT_WAIT, watched, () -> this.entries.get(kind, name))
				.map((found) -> found.value()
					.map((entry) -> Reply.json(Json.write(entry.toJson())).indexed(found.index()))
					// Consul sets the query meta before it finds the entry missing: a 404 carries the index, so a
					// client can block until the entry is written.
					.orElseGet(() -> Reply.text(404,
							ConfigEntryStore.NOT_FOUND + " for \"" + kind + "\" / \"" + name + "\"")
						.indexed(found.index())));
		}
		return this.queries.run(options, QueryOptions.DEFAULT_WAIT, watched, () -> list(kind))
			.map((list) -> Reply.json(Json.write(list.value())).indexed(list.index()));
	}

	private Indexed<List<Map<String, Object>>> list(String kind) {
		if (kind.isEmpty()) {
			List<ConfigEntry> all = this.entries.all();
			long index = all.stream().mapToLong(ConfigEntry::modifyIndex).max().orElse(1);
			return new Indexed<>(index, all.stream().map(ConfigEntry::toJson).toList());
		}
		Indexed<List<ConfigEntry>> ofKind = this.entries.list(kind);
		return new Indexed<>(ofKind.index(), ofKind.value().stream().map(ConfigEntry::toJson).toList());
	}

	private Mono<Reply> delete(Exchange exchange, String[] kindAndName) {
		if (kindAndName.length != 2) {
			throw HttpError.notFound("Must provide both a kind and name to delete");
		}
		if (!ConfigEntryStore.isConsulKind(kindAndName[0])) {
			throw HttpError.badRequest("invalid config entry kind: " + kindAndName[0]);
		}
		Long cas = cas(exchange);
		return Mono.fromCallable(() -> {
			boolean deleted = refusals(() -> this.entries.delete(kindAndName[0], kindAndName[1], cas));
			return Reply.json(Json.write((cas != null) ? deleted : Map.of()));
		});
	}

	private static boolean refusals(java.util.function.BooleanSupplier write) {
		try {
			return write.getAsBoolean();
		}
		catch (InvalidConfigEntryException ex) {
			throw ex.decoding() ? HttpError.badRequest(DECODING_FAILED + ex.getMessage()) : HttpError.of(500, ex);
		}
	}

}
