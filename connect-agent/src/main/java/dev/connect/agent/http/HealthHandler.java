package dev.connect.agent.http;

import java.util.ArrayList;
import java.util.List;

import dev.connect.agent.catalog.Catalog;
import dev.connect.agent.catalog.CheckState;
import dev.connect.agent.index.BlockingQuery.Watch;
import dev.connect.agent.index.BlockingQuery;
import dev.connect.agent.index.QueryOptions;
import dev.connect.agent.index.Topic;
import dev.connect.api.CatalogService;
import dev.connect.api.HealthCheck;
import dev.connect.api.Indexed;
import dev.connect.api.ServiceEntry;
import reactor.core.publisher.Mono;

/**
 * {@code /v1/health/service/<name>}, {@code /v1/health/connect/<name>} (with {@code passing} and {@code tag}),
 * {@code /v1/catalog/service/<name>}, {@code /v1/catalog/connect/<name>} and {@code /v1/catalog/services}. All
 * block on {@code index}; health and catalog queries for one service wake only on that service's changes.
 */
final class HealthHandler {

	private final Catalog catalog;

	private final BlockingQuery queries;

	private final RenderedAnswers rendered = new RenderedAnswers();

	private final Datacenter datacenter;

	HealthHandler(Catalog catalog, BlockingQuery queries, Datacenter datacenter) {
		this.catalog = catalog;
		this.queries = queries;
		this.datacenter = datacenter;
	}

	void register(Router router) {
		router.get("/v1/health/service/", (exchange) -> health(exchange, false));
		router.get("/v1/health/connect/", (exchange) -> health(exchange, true));
		router.get("/v1/catalog/service/", (exchange) -> catalog(exchange, false));
		router.get("/v1/catalog/connect/", (exchange) -> catalog(exchange, true));
		router.get("/v1/catalog/services", this::services);
	}

	private Mono<Reply> health(Exchange exchange, boolean connect) {
		String name = serviceName(exchange);
		boolean passing = exchange.flag("passing", "Invalid value for ?passing");
		List<String> tags = exchange.params("tag");
		String query = (connect ? "connect:" : "service:") + name + ":" + passing + ":" + tags;
		return entries(exchange, name, connect).map((entries) -> Reply
			.json(this.rendered.render(query, entries.index(), () -> healthAnswer(entries.value(), passing, tags)))
			.indexed(entries.index()));
	}

	private List<ServiceEntry> healthAnswer(List<Catalog.Entry> entries, boolean passing, List<String> tags) {
		List<ServiceEntry> answer = new ArrayList<>();
		for (Catalog.Entry entry : entries) {
			if (!entry.service().tags().containsAll(tags)) {
				continue;
			}
			List<HealthCheck> checks = new ArrayList<>(CatalogViews.nodeChecks(this.catalog, entry));
			for (CheckState check : entry.checks()) {
				checks.add(CatalogViews.check(this.catalog, entry, check));
			}
			if (passing && checks.stream().anyMatch((check) -> !"passing".equals(check.status()))) {
				continue;
			}
			answer.add(new ServiceEntry(CatalogViews.node(this.catalog, entry),
					CatalogViews.nodeService(entry.service()), checks));
		}
		return answer;
	}

	private Mono<Reply> catalog(Exchange exchange, boolean connect) {
		String name = serviceName(exchange);
		List<String> tags = exchange.params("tag");
		return entries(exchange, name, connect).map((entries) -> {
			List<CatalogService> answer = entries.value()
				.stream()
				.filter((entry) -> entry.service().tags().containsAll(tags))
				.map((entry) -> CatalogViews.catalogService(CatalogViews.node(this.catalog, entry), entry.service()))
				.toList();
			return Reply.json(Json.write(answer)).indexed(entries.index());
		});
	}

	private Mono<Indexed<List<Catalog.Entry>>> entries(Exchange exchange, String name, boolean connect) {
		QueryOptions options = BlockingParams.of(exchange);
		this.datacenter.route(exchange);
		String key = (connect ? "connect:" : "svc:") + name;
		return this.queries.run(options, QueryOptions.DEFAULT_WAIT, List.of(new Watch(Topic.CATALOG, key)),
				() -> this.catalog.health(name, connect));
	}

	private Mono<Reply> services(Exchange exchange) {
		QueryOptions options = BlockingParams.of(exchange);
		this.datacenter.route(exchange);
		return this.queries.run(options, QueryOptions.DEFAULT_WAIT, List.of(Watch.of(Topic.CATALOG)), () -> {
			java.util.Map<String, List<String>> services = new java.util.TreeMap<>();
			services.put("consul", List.of());
			java.util.stream.Stream.concat(this.catalog.services().values().stream(),
					this.catalog.external().nodes().values().stream().flatMap((node) -> node.services().values().stream()))
				.sorted(java.util.Comparator.comparing(dev.connect.agent.catalog.ServiceInstance::id))
				.forEach((instance) -> {
				List<String> tags = new ArrayList<>(services.getOrDefault(instance.name(), List.of()));
				instance.tags().stream().filter((tag) -> !tags.contains(tag)).forEach(tags::add);
				services.put(instance.name(), List.copyOf(tags));
			});
			return new Indexed<>(this.catalog.index(), services);
		}).map((services) -> Reply.json(Json.write(services.value())).indexed(services.index()));
	}

	private static String serviceName(Exchange exchange) {
		String name = exchange.remainder();
		if (name.isEmpty()) {
			throw HttpError.badRequest("Missing service name");
		}
		return name;
	}

}
