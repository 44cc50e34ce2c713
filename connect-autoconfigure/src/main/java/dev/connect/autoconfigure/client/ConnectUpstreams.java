package dev.connect.autoconfigure.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.cloud.client.loadbalancer.reactive.LoadBalancedExchangeFilterFunction;
import org.springframework.cloud.client.loadbalancer.BlockingLoadBalancerInterceptor;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Calls a named upstream without declaring a {@code @LoadBalanced} bean: {@code upstreams.webClient("counting")}
 * is a {@link WebClient} whose base URL is {@code http://counting} and whose calls go exactly as those of a
 * {@code @LoadBalanced WebClient.Builder}: to a healthy instance the agent reports, over mutual TLS, only to a
 * server that proves it is {@code counting}, retried once on another instance when nothing was sent. Each call
 * returns a new client; they share the mesh connection pool. {@code upstreams.restClient("counting")} is the same
 * for the blocking {@link RestClient}.
 */
public final class ConnectUpstreams {

	static final String NO_LOAD_BALANCER = "Unable to call upstream '%s': no load balancer is configured. Calls to a "
			+ "named upstream need Spring Cloud LoadBalancer's auto-configuration (the starter brings it; check that "
			+ "'spring.cloud.loadbalancer.enabled' is not false)";

	private final ClientHttpConnector connector;

	private final Supplier<@Nullable LoadBalancedExchangeFilterFunction> loadBalancing;

	private final ClientHttpRequestFactory requests;

	private final ClientHttpRequestInterceptor expected;

	private final Supplier<@Nullable BlockingLoadBalancerInterceptor> blockingLoadBalancing;

	ConnectUpstreams(ClientHttpConnector connector, Supplier<@Nullable LoadBalancedExchangeFilterFunction> loadBalancing,
			ClientHttpRequestFactory requests, ClientHttpRequestInterceptor expected,
			Supplier<@Nullable BlockingLoadBalancerInterceptor> blockingLoadBalancing) {
		this.connector = connector;
		this.loadBalancing = loadBalancing;
		this.requests = requests;
		this.expected = expected;
		this.blockingLoadBalancing = blockingLoadBalancing;
	}

	/**
	 * Returns a client for one upstream service, with relative URIs resolved against {@code http://<service>}.
	 * @param service the upstream's service name, as registered with the agent
	 * @return the client
	 * @throws IllegalArgumentException if the name cannot be the host of a URL (letters, digits and {@code -} in
	 * labels separated by {@code .}, the last label starting with a letter)
	 */
	public WebClient webClient(String service) {
		return webClientBuilder(service).build();
	}

	/**
	 * Returns a builder for a client of one upstream service, to add filters, codecs or default headers. Changing
	 * its connector or base URL takes the calls out of the mesh.
	 * @param service the upstream's service name, as registered with the agent
	 * @return a new builder
	 * @throws IllegalArgumentException if the name cannot be the host of a URL (letters, digits and {@code -} in
	 * labels separated by {@code .}, the last label starting with a letter)
	 * @throws IllegalStateException if no load balancer is configured
	 */
	public WebClient.Builder webClientBuilder(String service) {
		checkName(service);
		LoadBalancedExchangeFilterFunction loadBalancing = this.loadBalancing.get();
		if (loadBalancing == null) {
			throw new IllegalStateException(String.format(NO_LOAD_BALANCER, service));
		}
		return WebClient.builder()
			.baseUrl("http://" + service)
			.clientConnector(this.connector)
			.filter(ExpectedUpstream.INSTANCE)
			.filter(loadBalancing);
	}

	/**
	 * Returns a blocking client for one upstream service, with relative URIs resolved against
	 * {@code http://<service>}; its calls go as those of a {@code @LoadBalanced RestClient.Builder}.
	 * @param service the upstream's service name, as registered with the agent
	 * @return the client
	 * @throws IllegalArgumentException if the name cannot be the host of a URL (letters, digits and {@code -} in
	 * labels separated by {@code .}, the last label starting with a letter)
	 * @throws IllegalStateException if no load balancer is configured
	 */
	public RestClient restClient(String service) {
		return restClientBuilder(service).build();
	}

	/**
	 * Returns a builder for a blocking client of one upstream service, to add interceptors, converters or default
	 * headers. Changing its request factory or base URL takes the calls out of the mesh.
	 * @param service the upstream's service name, as registered with the agent
	 * @return a new builder
	 * @throws IllegalArgumentException if the name cannot be the host of a URL (letters, digits and {@code -} in
	 * labels separated by {@code .}, the last label starting with a letter)
	 * @throws IllegalStateException if no load balancer is configured
	 */
	public RestClient.Builder restClientBuilder(String service) {
		checkName(service);
		BlockingLoadBalancerInterceptor loadBalancing = this.blockingLoadBalancing.get();
		if (loadBalancing == null) {
			throw new IllegalStateException(String.format(NO_LOAD_BALANCER, service));
		}
		return RestClient.builder()
			.baseUrl("http://" + service)
			.requestFactory(this.requests)
			.requestInterceptor(this.expected)
			.requestInterceptor(loadBalancing);
	}

	static void checkName(String service) {
		Objects.requireNonNull(service, "'service' must not be null");
		if (!service.equals(hostOf(service))) {
			throw new IllegalArgumentException("'" + service.replaceAll("\\p{Cntrl}", "?")
					+ "' is not a service name a mesh call can address: it must be a host name (letters, digits and "
					+ "'-' in labels separated by '.', the last label starting with a letter), as DNS-compatible "
					+ "Consul service names are");
		}
	}

	private static @Nullable String hostOf(String service) {
		try {
			return new URI("http://" + service + "/").getHost();
		}
		catch (URISyntaxException ex) {
			return null;
		}
	}

}
