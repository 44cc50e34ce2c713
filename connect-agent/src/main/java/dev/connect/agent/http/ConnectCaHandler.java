package dev.connect.agent.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.connect.agent.ca.CaStore;
import dev.connect.agent.ca.IssuedLeaf;
import dev.connect.agent.ca.RateLimitedException;
import dev.connect.agent.index.BlockingQuery.Watch;
import dev.connect.agent.index.BlockingQuery;
import dev.connect.agent.index.QueryOptions;
import dev.connect.agent.index.Topic;
import dev.connect.agent.leafcert.LeafCertificates.Lookup;
import dev.connect.agent.leafcert.LeafCertificates;
import dev.connect.api.CaConfiguration;
import dev.connect.api.CaRoot;
import dev.connect.api.CaRoots;
import dev.connect.api.Indexed;
import dev.connect.api.LeafCert;
import dev.connect.identity.InvalidIdentityException;
import io.netty.handler.codec.http.HttpMethod;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code /v1/agent/connect/ca/roots}, {@code /v1/connect/ca/roots}, {@code /v1/connect/ca/configuration} and
 * {@code /v1/agent/connect/ca/leaf/<service>}.
 */
final class ConnectCaHandler {

	/** Consul's leaf manager blocks 10 minutes when the client gives no wait. */
	static final Duration LEAF_DEFAULT_WAIT = Duration.ofMinutes(10);

	private final CaStore ca;

	private final LeafCertificates leaves;

	private final BlockingQuery queries;

	private final Datacenter datacenter;

	ConnectCaHandler(CaStore ca, LeafCertificates leaves, BlockingQuery queries, Datacenter datacenter) {
		this.ca = ca;
		this.leaves = leaves;
		this.queries = queries;
		this.datacenter = datacenter;
	}

	void register(Router router) {
		router.get("/v1/agent/connect/ca/roots", this::agentRoots);
		router.get("/v1/connect/ca/roots", this::roots);
		router.add("/v1/connect/ca/configuration", java.util.Set.of(HttpMethod.GET, HttpMethod.PUT),
				this::configuration);
		router.get("/v1/agent/connect/ca/leaf/", this::leaf);
	}

	private Mono<Reply> agentRoots(Exchange exchange) {
		// Served from the agent's own state, which is always current: a cache hit that is never stale.
		return blockingRoots(exchange).map((roots) -> Reply.json(Json.write(roots.value()))
			.indexed(roots.index())
			.header("X-Cache", "HIT")
			.header("Age", "0"));
	}

	private Mono<Reply> roots(Exchange exchange) {
		boolean pem = exchange.flag("pem", "Invalid value for ?pem");
		return blockingRoots(exchange).map((roots) -> {
			if (!pem) {
				return Reply.json(Json.write(roots.value())).indexed(roots.index());
			}
			StringBuilder chain = new StringBuilder();
			for (CaRoot root : roots.value().roots()) {
				chain.append(root.rootCert());
				if (root.intermediateCerts() != null) {
					root.intermediateCerts().forEach(chain::append);
				}
			}
			return new Reply(200, new java.util.LinkedHashMap<>(Map.of("Content-Type",
					"application/pem-certificate-chain")), chain.toString().getBytes(StandardCharsets.UTF_8))
				.indexed(roots.index());
		});
	}

	private Mono<Indexed<CaRoots>> blockingRoots(Exchange exchange) {
		QueryOptions options = BlockingParams.of(exchange);
		this.datacenter.route(exchange);
		return this.queries.run(options, QueryOptions.DEFAULT_WAIT, List.of(Watch.of(Topic.CA_ROOTS)),
				this.ca::roots);
	}

	private Mono<Reply> leaf(Exchange exchange) {
		String service = exchange.remainder();
		QueryOptions options = BlockingParams.of(exchange);
		// Consul signs in the named datacenter; the agent's roots are only ever this one's.
		this.datacenter.route(exchange);
		Mono<Lookup> first = Mono.fromCallable(() -> this.leaves.revalidate(service))
			.subscribeOn(Schedulers.boundedElastic());
		if (!options.blocking()) {
			return first.map(this::leafReply).onErrorMap(ConnectCaHandler::leafError);
		}
		return first.flatMap((issued) -> this.queries.run(options, LEAF_DEFAULT_WAIT,
				List.of(new Watch(Topic.LEAF, service)), () -> {
					Lookup current = this.leaves.peek(service);
					Lookup answer = (current != null) ? current : issued;
					return new Indexed<>(answer.index(), answer);
				}))
			.map((indexed) -> leafReply(indexed.value()))
			.onErrorMap(ConnectCaHandler::leafError);
	}

	private Reply leafReply(Lookup lookup) {
		IssuedLeaf leaf = lookup.leaf();
		LeafCert cert = new LeafCert(leaf.serialNumber(), leaf.certPem(), leaf.privateKeyPem(),
				leaf.identity().service(), leaf.identity().toString(), leaf.validAfter(), leaf.validBefore(),
				lookup.index(), lookup.index());
		Reply reply = Reply.json(Json.write(cert))
			.header("X-Consul-Index", Long.toString(lookup.index()))
			.header("X-Cache", lookup.cacheHit() ? "HIT" : "MISS");
		return lookup.cacheHit() ? reply.header("Age", Long.toString(lookup.age().toSeconds())) : reply;
	}

	private static Throwable leafError(Throwable error) {
		if (error instanceof RateLimitedException) {
			return HttpError.of(429, error);
		}
		if (error instanceof InvalidIdentityException) {
			// Consul signs any name and fails later; we refuse names that cannot be a SPIFFE path segment.
			return HttpError.of(500, error);
		}
		return error;
	}

	private Mono<Reply> configuration(Exchange exchange) {
		if (exchange.method().equals(HttpMethod.GET)) {
			this.datacenter.route(exchange);
			return Mono.fromSupplier(() -> Reply.json(Json.write(CaConfigurations.of(this.ca)))
				.indexed(this.ca.configIndex()));
		}
		return Mono.fromCallable(() -> {
			CaConfiguration request = Json.read(exchange.body(), CaConfiguration.class, "Request decode failed: ");
			this.datacenter.route(exchange);
			CaConfigurations.Update update = CaConfigurations.toUpdate(request);
			try {
				this.ca.reconfigure(update.config(), update.provider());
			}
			catch (IllegalArgumentException ex) {
				throw HttpError.of(500, ex);
			}
			return Reply.empty();
		}).subscribeOn(Schedulers.boundedElastic());
	}

}
