package dev.connect.autoconfigure.client;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectLoadBalancerRetryDefaultsTests {

	private final ConnectLoadBalancerRetryDefaults defaults = new ConnectLoadBalancerRetryDefaults();

	@Test
	void retryOnlyFailuresBeforeTheRequestIsSentByDefault() {
		MockEnvironment environment = new MockEnvironment();
		this.defaults.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.cloud.loadbalancer.retry.enabled")).isEqualTo("true");
		assertThat(environment.getProperty("spring.cloud.loadbalancer.retry.retryable-exceptions"))
			.isEqualTo("java.net.ConnectException,javax.net.ssl.SSLHandshakeException,dev.connect.mesh.UnexpectedPeerException");
		assertThat(environment.getProperty("spring.cloud.loadbalancer.cache.enabled")).isEqualTo("false");
	}

	@Test
	void whatTheApplicationSetsWins() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("spring.cloud.loadbalancer.retry.enabled", "false")
			.withProperty("spring.cloud.loadbalancer.retry.retryable-exceptions", "java.io.IOException")
			.withProperty("spring.cloud.loadbalancer.cache.enabled", "true");
		this.defaults.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.cloud.loadbalancer.retry.enabled")).isEqualTo("false");
		assertThat(environment.getProperty("spring.cloud.loadbalancer.retry.retryable-exceptions"))
			.isEqualTo("java.io.IOException");
		assertThat(environment.getPropertySources().contains(ConnectLoadBalancerRetryDefaults.SOURCE_NAME)).isFalse();
	}

}
