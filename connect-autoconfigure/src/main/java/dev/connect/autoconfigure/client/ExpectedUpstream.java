package dev.connect.autoconfigure.client;

import java.net.URI;
import java.util.Map;

import dev.connect.mesh.MeshHttpClients;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRequest;
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
 * <p>
 * It also names the service in the answer the load balancer makes up when no instance is healthy: that
 * {@code 503} carries no request, so its error said {@code 503 Service Unavailable from UNKNOWN}; it now carries
 * the call as written, {@code from GET http://counting/count}.
 */
enum ExpectedUpstream implements ExchangeFilterFunction {

	INSTANCE;

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		String service = request.url().getHost();
		if (service == null) {
			return next.exchange(request);
		}
		return next.exchange(request)
			.map((response) -> sentNowhere(response) ? response.mutate().request(new AsWritten(request)).build()
					: response)
			.contextWrite((context) -> context.put(MeshHttpClients.UPSTREAM_SERVICE, service));
	}

	/** Whether no server answered: a response built without a request has a relative (empty) URI. */
	private static boolean sentNowhere(ClientResponse response) {
		return !response.request().getURI().isAbsolute();
	}

	/** The call as the application wrote it, for the messages of errors about it. */
	private static final class AsWritten implements HttpRequest {

		private final ClientRequest request;

		AsWritten(ClientRequest request) {
			this.request = request;
		}

		@Override
		public HttpMethod getMethod() {
			return this.request.method();
		}

		@Override
		public URI getURI() {
			return this.request.url();
		}

		@Override
		public HttpHeaders getHeaders() {
			return this.request.headers();
		}

		@Override
		public Map<String, Object> getAttributes() {
			return this.request.attributes();
		}

	}

}
