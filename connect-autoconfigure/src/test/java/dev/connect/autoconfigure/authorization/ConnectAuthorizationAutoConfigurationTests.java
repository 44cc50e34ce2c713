package dev.connect.autoconfigure.authorization;

import java.net.URI;

import dev.connect.authz.CachingAuthorizer;
import dev.connect.autoconfigure.ConnectProperties;
import dev.connect.autoconfigure.TestMaterial;
import dev.connect.autoconfigure.metrics.ConnectMetricsAutoConfiguration;
import dev.connect.client.AgentClient;
import dev.connect.client.AgentClientSettings;
import dev.connect.tls.CertificateSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectAuthorizationAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ConnectMetricsAutoConfiguration.class,
				ConnectAuthorizationAutoConfiguration.class))
		.withUserConfiguration(Beans.class)
		.withPropertyValues("spring.application.name=counting");

	@Test
	void reactiveMeshAppGetsTheFilterTheCacheAndTheIntentionWatch() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(IntentionAuthorizationWebFilter.class)
				.hasSingleBean(CachingAuthorizer.class)
				.hasSingleBean(IntentionWatch.class)
				.hasSingleBean(RecentDenials.class);
		});
	}

	@Test
	void authorizationCanBeTurnedOff() {
		this.runner.withPropertyValues("connect.authorization.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(IntentionAuthorizationWebFilter.class)
				.doesNotHaveBean(CachingAuthorizer.class));
	}

	@Test
	void withoutServerTlsThereIsNoFilterToCheckCertificates() {
		this.runner.withPropertyValues("connect.tls.server.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(IntentionAuthorizationWebFilter.class));
	}

	@Test
	void userCacheWins() {
		this.runner.withUserConfiguration(UserCache.class)
			.run((context) -> assertThat(context.getBean(CachingAuthorizer.class))
				.isSameAs(context.getBean(UserCache.class).cache));
	}

	@Test
	void nonReactiveApplicationGetsNoFilter() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ConnectAuthorizationAutoConfiguration.class))
			.withUserConfiguration(Beans.class)
			.run((context) -> assertThat(context).doesNotHaveBean(IntentionAuthorizationWebFilter.class));
	}

	@Test
	void withoutMicrometerTheFilterIsNotMetered() {
		this.runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).hasSingleBean(IntentionAuthorizationWebFilter.class)
				.doesNotHaveBean(AuthorizerDecorator.class));
		this.runner.withBean(SimpleMeterRegistry.class)
			.run((context) -> assertThat(context).hasSingleBean(AuthorizerDecorator.class));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(ConnectProperties.class)
	static class Beans {

		@Bean
		CertificateSource certificateSource() {
			return TestMaterial.source("counting");
		}

		@Bean
		AgentClient agentClient() {
			return AgentClient.create(AgentClientSettings.defaults().withAddress(URI.create("http://127.0.0.1:1")));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserCache {

		final CachingAuthorizer cache = new CachingAuthorizer((caller) -> reactor.core.publisher.Mono.empty(),
				java.time.Duration.ofMinutes(1), java.time.Duration.ofMinutes(1), java.time.Clock.systemUTC());

		@Bean
		CachingAuthorizer userCache() {
			return this.cache;
		}

	}

}
