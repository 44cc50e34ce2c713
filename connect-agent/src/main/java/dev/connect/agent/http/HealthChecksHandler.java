package dev.connect.agent.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import dev.connect.agent.catalog.Catalog;
import dev.connect.agent.catalog.CheckState;
import dev.connect.agent.catalog.ExternalNode;
import dev.connect.agent.index.BlockingQuery;
import dev.connect.agent.index.BlockingQuery.Watch;
import dev.connect.agent.index.QueryOptions;
import dev.connect.agent.index.Topic;
import dev.connect.api.HealthCheck;
import dev.connect.api.Indexed;
import reactor.core.publisher.Mono;

/**
 * The checks views of the health API: {@code /v1/health/checks/<service>}, {@code /v1/health/state/<state>} and
 * {@code /v1/health/node/<node>}, all blocking. The agent's node carries Consul's {@code serfHealth} check, which
 * the state and node views include and the service view does not.
 */
final class HealthChecksHandler {

	private static final Set<String> STATES = Set.of("any", "passing", "warning", "critical");

	private final Catalog catalog;

	private final BlockingQuery queries;

	private final Datacenter datacenter;

	HealthChecksHandler(Catalog catalog, BlockingQuery queries, Datacenter datacenter) {
		this.catalog = catalog;
		this.queries = queries;
		this.datacenter = datacenter;
	}

	void register(Router router) {
		router.get("/v1/health/checks/", this::serviceChecks);
		router.get("/v1/health/state/", this::state);
		router.get("/v1/health/node/", this::node);
	}

	private Mono<Reply> serviceChecks(Exchange exchange) {
		String name = required(exchange, "Missing service name");
		QueryOptions options = BlockingParams.of(exchange);
		this.datacenter.route(exchange);
		return this.queries.run(options, QueryOptions.DEFAULT_WAIT, List.of(new Watch(Topic.CATALOG, "svc:" + name)),
				() -> {
					Indexed<List<Catalog.Entry>> entries = this.catalog.health(name, false);
					List<HealthCheck> checks = new ArrayList<>();
					entries.value()
						.forEach((entry) -> entry.checks()
							.forEach((c) -> checks.add(CatalogViews.check(this.catalog, entry, c))));
					return new Indexed<>(entries.index(), checks);
				})
			.map((checks) -> Reply.json(Json.write(checks.value())).indexed(checks.index()));
	}

	/** Consul's state store looks the state up in an index, so a state that no check can have finds none. */
	private Mono<Reply> state(Exchange exchange) {
		String state = required(exchange, "Missing check state");
		boolean known = STATES.contains(state);
		return nodeChecks(exchange, (check) -> known && (state.equals("any") || state.equals(check.status())),
				(node) -> true);
	}

	private Mono<Reply> node(Exchange exchange) {
		String node = required(exchange, "Missing node name");
		return nodeChecks(exchange, (check) -> true, node::equals);
	}

	/** The checks of the selected nodes, the agent's first when selected, then the external ones by name. */
	private Mono<Reply> nodeChecks(Exchange exchange, Predicate<HealthCheck> selected, Predicate<String> nodes) {
		QueryOptions options = BlockingParams.of(exchange);
		this.datacenter.route(exchange);
		return this.queries.run(options, QueryOptions.DEFAULT_WAIT, List.of(Watch.of(Topic.CATALOG)), () -> {
			List<HealthCheck> checks = new ArrayList<>();
			if (nodes.test(this.catalog.node().name())) {
				checks.add(CatalogViews.serfHealth(this.catalog));
				this.catalog.checks()
					.values()
					.stream()
					.sorted(Comparator.comparing(CheckState::checkId))
					.forEach((check) -> checks.add(CatalogViews.check(this.catalog, check)));
			}
			for (ExternalNode node : this.catalog.external().nodes().values()) {
				if (nodes.test(node.name())) {
					node.checks()
						.values()
						.stream()
						.sorted(Comparator.comparing(CheckState::checkId))
						.forEach((check) -> checks.add(CatalogViews.check(node, check)));
				}
			}
			return new Indexed<>(Math.max(this.catalog.index(), this.catalog.nodeIndex()),
					checks.stream().filter(selected).toList());
		}).map((checks) -> Reply.json(Json.write(checks.value())).indexed(checks.index()));
	}

	private static String required(Exchange exchange, String missing) {
		String value = exchange.remainder();
		if (value.isEmpty()) {
			throw HttpError.badRequest(missing);
		}
		return value;
	}

}
