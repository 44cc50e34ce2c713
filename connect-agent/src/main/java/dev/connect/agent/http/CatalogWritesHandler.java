package dev.connect.agent.http;

import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.connect.agent.catalog.Catalog;
import dev.connect.agent.catalog.ExternalRegistration;
import dev.connect.agent.catalog.InvalidRegistrationException;
import io.netty.handler.codec.http.HttpMethod;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * {@code PUT /v1/catalog/register} and {@code PUT /v1/catalog/deregister}: nodes the agent does not run (external
 * services), answered {@code true} as Consul answers. A body that does not decode is 400
 * {@code Request decode failed: ...}; a request the catalog refuses is 500 with Consul's RPC error text.
 */
final class CatalogWritesHandler {

	private final Catalog catalog;

	private final Datacenter datacenter;

	CatalogWritesHandler(Catalog catalog, Datacenter datacenter) {
		this.catalog = catalog;
		this.datacenter = datacenter;
	}

	void register(Router router) {
		router.add("/v1/catalog/register", Set.of(HttpMethod.PUT), this::registerNode);
		router.add("/v1/catalog/deregister", Set.of(HttpMethod.PUT), this::deregisterNode);
	}

	private Mono<Reply> registerNode(Exchange exchange) {
		return Mono.fromCallable(() -> {
			ExternalRegistration registration = Json.read(exchange.body(), ExternalRegistration.class,
					"Request decode failed: ");
			this.datacenter.route(registration.datacenter());
			try {
				this.catalog.external().register(registration);
			}
			catch (InvalidRegistrationException ex) {
				throw HttpError.of(500, ex);
			}
			return Reply.json(Json.write(true));
		});
	}

	private Mono<Reply> deregisterNode(Exchange exchange) {
		return Mono.fromCallable(() -> {
			Deregistration request = Json.read(exchange.body(), Deregistration.class, "Request decode failed: ");
			this.datacenter.route(request.datacenter());
			try {
				this.catalog.external().deregister(orEmpty(request.node()), orEmpty(request.serviceId()),
						orEmpty(request.checkId()));
			}
			catch (InvalidRegistrationException ex) {
				throw HttpError.of(500, ex);
			}
			return Reply.json(Json.write(true));
		});
	}

	private static String orEmpty(@Nullable String value) {
		return (value != null) ? value : "";
	}

	/** Consul's {@code DeregisterRequest}. */
	record Deregistration(@JsonProperty("Node") @Nullable String node,
			@JsonProperty("Datacenter") @Nullable String datacenter,
			@JsonProperty("ServiceID") @Nullable String serviceId, @JsonProperty("CheckID") @Nullable String checkId) {
	}

}
