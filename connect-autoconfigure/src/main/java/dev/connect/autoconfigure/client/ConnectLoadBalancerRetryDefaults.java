package dev.connect.autoconfigure.client;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns on Spring Cloud LoadBalancer's retry for {@code @LoadBalanced WebClient}s, limited to failures that happen
 * before any request byte is sent: the connection is refused or times out ({@code ConnectException}), or the TLS
 * handshake fails ({@code SSLHandshakeException}, which includes a server that is not the expected service), or
 * the connection's server proved another service than the call is meant for ({@code UnexpectedPeerException}). Such
 * a call is sent once more, to another instance when there is one; whatever the method, since the first instance
 * received nothing. A failure after the request was sent (the peer closed before answering) and HTTP error statuses
 * are not retried. Spring Cloud leaves retry off for reactive clients unless the property is present, and by default
 * would retry any {@code IOException}. Both are defaults the application overrides with
 * {@code spring.cloud.loadbalancer.retry.*}.
 * <p>
 * It also turns Spring Cloud LoadBalancer's instance cache off ({@code spring.cloud.loadbalancer.cache.enabled}):
 * the agent pushes instance lists, and a cache would only delay them (the default one also warns at start-up).
 */
final class ConnectLoadBalancerRetryDefaults implements EnvironmentPostProcessor, Ordered {

	static final String SOURCE_NAME = "connectLoadBalancerDefaults";

	static final String RETRY_ENABLED = "spring.cloud.loadbalancer.retry.enabled";

	static final String RETRYABLE_EXCEPTIONS = "spring.cloud.loadbalancer.retry.retryable-exceptions";

	static final String CACHE_ENABLED = "spring.cloud.loadbalancer.cache.enabled";

	static final Map<String, String> DEFAULTS = Map.of(RETRY_ENABLED, "true", RETRYABLE_EXCEPTIONS,
			"java.net.ConnectException,javax.net.ssl.SSLHandshakeException,dev.connect.mesh.UnexpectedPeerException",
			CACHE_ENABLED, "false");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		// Runs after the config data is loaded. Boot moves its 'defaultProperties' to the very end afterwards, so a
		// source added here would outrank them: only the settings nobody made are added.
		Map<String, Object> defaults = new LinkedHashMap<>();
		DEFAULTS.forEach((name, value) -> {
			if (!environment.containsProperty(name)) {
				defaults.put(name, value);
			}
		});
		if (!defaults.isEmpty() && !environment.getPropertySources().contains(SOURCE_NAME)) {
			environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, defaults));
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
