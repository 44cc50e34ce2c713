package dev.connect.agent.http;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.connect.agent.catalog.Catalog;
import dev.connect.agent.catalog.CheckState;
import dev.connect.agent.catalog.InvalidRegistrationException;
import dev.connect.agent.catalog.ServiceInstance;
import dev.connect.agent.catalog.UnknownCheckException;
import dev.connect.agent.index.ChangeIndex;
import dev.connect.agent.index.QueryOptions;
import dev.connect.agent.index.Topic;
import dev.connect.api.AgentService;
import dev.connect.api.CheckDefinition;
import dev.connect.api.HealthCheck;
import dev.connect.api.ServiceRegistration;
import io.netty.handler.codec.http.HttpMethod;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The local agent's own API: {@code /v1/agent/service/register}, {@code /deregister/<id>}, {@code /services},
 * {@code /service/<id>} (hash-based blocking), {@code /checks}, {@code /check/pass|warn|fail|update/<id>},
 * {@code /self}, and {@code /v1/status/leader}.
 */
final class AgentServiceHandler {

	private static final Set<String> STATUSES = Set.of("passing", "warning", "critical");

	private final Catalog catalog;

	private final ChangeIndex changes;

	private final Datacenter datacenter;

	AgentServiceHandler(Catalog catalog, ChangeIndex changes, Datacenter datacenter) {
		this.catalog = catalog;
		this.changes = changes;
		this.datacenter = datacenter;
	}

	void register(Router router) {
		router.add("/v1/agent/service/register", Set.of(HttpMethod.PUT), this::registerService);
		router.add("/v1/agent/service/deregister/", Set.of(HttpMethod.PUT), this::deregister);
		router.add("/v1/agent/service/maintenance/", Set.of(HttpMethod.PUT), this::maintenance);
		router.add("/v1/agent/check/register", Set.of(HttpMethod.PUT), this::registerCheck);
		router.add("/v1/agent/check/deregister/", Set.of(HttpMethod.PUT), this::deregisterCheck);
		router.get("/v1/agent/services", this::services);
		router.get("/v1/agent/service/", this::service);
		router.get("/v1/agent/checks", this::checks);
		router.add("/v1/agent/check/pass/", Set.of(HttpMethod.PUT), (exchange) -> ttl(exchange, "passing"));
		router.add("/v1/agent/check/warn/", Set.of(HttpMethod.PUT), (exchange) -> ttl(exchange, "warning"));
		router.add("/v1/agent/check/fail/", Set.of(HttpMethod.PUT), (exchange) -> ttl(exchange, "critical"));
		router.add("/v1/agent/check/update/", Set.of(HttpMethod.PUT), this::update);
		router.get("/v1/agent/self", this::self);
		router.get("/v1/status/leader", this::leader);
	}

	private Mono<Reply> leader(Exchange exchange) {
		this.datacenter.route(exchange);
		return Mono.just(Reply.json(Json.write("127.0.0.1:8300")));
	}

	private Mono<Reply> registerService(Exchange exchange) {
		return Mono.fromCallable(() -> {
			ServiceRegistration registration = Json.read(exchange.body(), ServiceRegistration.class,
					"Request decode failed: ");
			boolean replace = exchange.flag("replace-existing-checks", "Invalid value for ?replace-existing-checks");
			try {
				this.catalog.register(registration, replace);
			}
			catch (InvalidRegistrationException ex) {
				throw HttpError.of(400, ex);
			}
			catch (IllegalStateException ex) {
				throw HttpError.of(500, ex);
			}
			return Reply.empty();
		});
	}

	private Mono<Reply> deregister(Exchange exchange) {
		return Mono.fromCallable(() -> {
			this.catalog.deregister(exchange.remainder());
			return Reply.empty();
		});
	}

	private Mono<Reply> registerCheck(Exchange exchange) {
		return Mono.fromCallable(() -> {
			CheckDefinition definition = Json.read(exchange.body(), CheckDefinition.class, "Request decode failed: ");
			try {
				this.catalog.registerCheck(definition);
			}
			catch (InvalidRegistrationException ex) {
				throw HttpError.of(400, ex);
			}
			return Reply.empty();
		});
	}

	private Mono<Reply> deregisterCheck(Exchange exchange) {
		return Mono.fromCallable(() -> {
			this.catalog.deregisterCheck(exchange.remainder());
			return Reply.empty();
		});
	}

	/** Consul's {@code AgentServiceMaintenance}: its checks, order and texts. */
	private Mono<Reply> maintenance(Exchange exchange) {
		String id = exchange.remainder();
		if (id.isEmpty()) {
			throw HttpError.badRequest("Missing service ID");
		}
		if (!exchange.has("enable")) {
			throw HttpError.badRequest("Missing value for enable");
		}
		String raw = exchange.param("enable");
		boolean enable = exchange.flag("enable", "Invalid value for enable: \"" + ((raw != null) ? raw : "") + "\"");
		if (raw == null || raw.isEmpty()) {
			throw HttpError.badRequest("Invalid value for enable: \"\"");
		}
		String reason = exchange.param("reason");
		return Mono.fromCallable(() -> {
			if (!this.catalog.maintenance(id, enable, (reason != null) ? reason : "")) {
				throw HttpError.notFound("No service registered with ID \"" + id + "\"");
			}
			return Reply.empty();
		});
	}

	private Mono<Reply> services(Exchange exchange) {
		Map<String, AgentService> services = new LinkedHashMap<>();
		this.catalog.services()
			.values()
			.stream()
			.sorted(java.util.Comparator.comparing(ServiceInstance::id))
			.forEach((instance) -> services.put(instance.id(),
					CatalogViews.agentService(instance, this.catalog.node().datacenter())));
		return Mono.just(Reply.json(Json.write(services)));
	}

	/** Hash-based blocking: {@code ?hash=<last>&wait=} waits until the content hash differs. */
	private Mono<Reply> service(Exchange exchange) {
		String id = exchange.remainder();
		String hash = exchange.param("hash");
		QueryOptions options = BlockingParams.of(exchange);
		Duration wait = options.effectiveWait(QueryOptions.DEFAULT_WAIT);
		long deadline = System.nanoTime() + wait.toNanos();
		return Mono.defer(() -> serviceAttempt(id, hash, deadline));
	}

	private Mono<Reply> serviceAttempt(String id, @Nullable String seenHash, long deadline) {
		Mono<Void> change = this.changes.nextChange(Topic.CATALOG, "");
		ServiceInstance instance = this.catalog.service(id).orElse(null);
		if (instance == null) {
			return Mono.error(HttpError.notFound("unknown service ID: " + id));
		}
		AgentService content = CatalogViews.agentService(instance, this.catalog.node().datacenter());
		String contentHash = CatalogViews.contentHash(content);
		AgentService service = CatalogViews.withContentHash(content, contentHash);
		long remaining = deadline - System.nanoTime();
		if (seenHash == null || seenHash.isEmpty() || !seenHash.equals(contentHash) || remaining <= 0) {
			return Mono.just(Reply.json(Json.write(service)).header("X-Consul-ContentHash", contentHash));
		}
		return change.then(Mono.just(true))
			.timeout(Duration.ofNanos(remaining), Mono.just(false))
			.flatMap((changed) -> serviceAttempt(id, changed ? seenHash : "", deadline));
	}

	private Mono<Reply> checks(Exchange exchange) {
		Map<String, HealthCheck> checks = new LinkedHashMap<>();
		this.catalog.checks()
			.values()
			.stream()
			.sorted(java.util.Comparator.comparing(CheckState::checkId))
			.forEach((check) -> checks.put(check.checkId(), CatalogViews.check(this.catalog, check)));
		return Mono.just(Reply.json(Json.write(checks)));
	}

	private Mono<Reply> ttl(Exchange exchange, String status) {
		String note = exchange.param("note");
		return Mono.fromCallable(() -> updateTtl(exchange.remainder(), status, (note != null) ? note : ""));
	}

	private Mono<Reply> update(Exchange exchange) {
		return Mono.fromCallable(() -> {
			CheckUpdate body = Json.read(exchange.body(), CheckUpdate.class, "Request decode failed: ");
			String status = (body.status() != null) ? body.status() : "";
			if (!STATUSES.contains(status)) {
				throw HttpError.badRequest("Invalid check status: '" + status + "'");
			}
			return updateTtl(exchange.remainder(), status, (body.output() != null) ? body.output() : "");
		});
	}

	private Reply updateTtl(String checkId, String status, String output) {
		try {
			this.catalog.updateTtl(checkId, status, output);
		}
		catch (UnknownCheckException ex) {
			throw HttpError.of(404, ex);
		}
		catch (IllegalStateException ex) {
			throw HttpError.of(500, ex);
		}
		return Reply.empty();
	}

	private Mono<Reply> self(Exchange exchange) {
		Catalog.NodeInfo node = this.catalog.node();
		Map<String, Object> config = new LinkedHashMap<>();
		config.put("Datacenter", node.datacenter());
		config.put("PrimaryDatacenter", node.datacenter());
		config.put("NodeName", node.name());
		config.put("NodeID", node.id());
		config.put("Server", true);
		config.put("Version", "1.22.0-connect-dev");
		Map<String, Object> member = new LinkedHashMap<>();
		member.put("Name", node.name());
		member.put("Addr", node.address());
		member.put("Port", 8301);
		member.put("Tags", Map.of("dc", node.datacenter(), "role", "consul"));
		member.put("Status", 1);
		return Mono.just(Reply.json(Json.write(Map.of("Config", config, "Member", member, "Meta", Map.of()))));
	}

	record CheckUpdate(@com.fasterxml.jackson.annotation.JsonProperty("Status") String status,
			@com.fasterxml.jackson.annotation.JsonProperty("Output") String output) {
	}

}
