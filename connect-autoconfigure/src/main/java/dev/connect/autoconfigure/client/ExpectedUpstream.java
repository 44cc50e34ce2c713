package dev.connect.autoconfigure.client;

import dev.connect.mesh.MeshHttpClients;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

/**
 * States, for the mesh connector, which service a load-balanced call is meant for: the host of the URL as the
 * application wrote it ({@code http://counting/...}), before the load balancer replaces it with an instance's
 * address. The connector then sends the request only on a connection whose server proved that service
 * ({@link MeshHttpClients#UPSTREAM_SERVICE}). It must run before the load balancer's filter, so it goes first.
 */
enum ExpectedUpstream implements ExchangeFilterFunction {

	INSTANCE;

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		String service = request.url().getHost();
		Mono<ClientResponse> response = next.exchange(request);
		return (service != null) ? response.contextWrite((context) -> context.put(MeshHttpClients.UPSTREAM_SERVICE, service))
				: response;
	}

}
