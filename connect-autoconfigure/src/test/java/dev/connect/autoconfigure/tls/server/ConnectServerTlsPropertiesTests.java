package dev.connect.autoconfigure.tls.server;

import java.time.Duration;

import dev.connect.autoconfigure.ConnectAutoConfiguration;
import dev.connect.autoconfigure.TestMaterial;
import dev.connect.autoconfigure.tls.ConnectTlsAutoConfiguration;
import dev.connect.tls.CertificateSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's read deadlines as properties: their defaults, and start-up refusing a value that is not positive with
 * a message naming the property and the value.
 */
class ConnectServerTlsPropertiesTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ConnectAutoConfiguration.class, ConnectTlsAutoConfiguration.class,
				SslAutoConfiguration.class, ConnectServerTlsAutoConfiguration.class))
		.withUserConfiguration(Material.class);

	@Test
	void whenNothingIsSetThenTheIdleTimeoutOutlastsTheMeshClientsPoolAndTheHeaderTimeoutIsTenSeconds() {
		this.runner.run((context) -> {
			assertThat(context).hasBean("connectRequestDeadlines");
			ConnectServerTlsProperties properties = context.getBean(ConnectServerTlsProperties.class);
			assertThat(properties.getRequestHeaderTimeout()).isEqualTo(Duration.ofSeconds(10));
			// connect.client.max-idle-time is 60 s: the client closes an idle pooled connection first.
			assertThat(properties.getIdleTimeout()).isEqualTo(Duration.ofSeconds(75));
		});
	}

	@Test
	void whenSetThenBothAreBound() {
		this.runner
			.withPropertyValues("connect.tls.server.request-header-timeout=3s", "connect.tls.server.idle-timeout=2m")
			.run((context) -> {
				ConnectServerTlsProperties properties = context.getBean(ConnectServerTlsProperties.class);
				assertThat(properties.getRequestHeaderTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(properties.getIdleTimeout()).isEqualTo(Duration.ofMinutes(2));
			});
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			connect.tls.server.idle-timeout=0s              | 'connect.tls.server.idle-timeout' must be a positive duration, such as 10s, but was 'PT0S'
			connect.tls.server.idle-timeout=-75s            | 'connect.tls.server.idle-timeout' must be a positive duration, such as 10s, but was 'PT-1M-15S'
			connect.tls.server.request-header-timeout=0     | 'connect.tls.server.request-header-timeout' must be a positive duration, such as 10s, but was 'PT0S'
			connect.tls.server.request-header-timeout=-1ms  | 'connect.tls.server.request-header-timeout' must be a positive duration, such as 10s, but was 'PT-0.001S'
			""")
	void whenATimeoutIsNotPositiveThenStartupFailsNamingThePropertyAndTheValue(String property, String message) {
		this.runner.withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessage(message);
		});
	}

	@Test
	void whenServerTlsIsTurnedOffThenNoDeadlines() {
		this.runner.withPropertyValues("connect.tls.server.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("connectRequestDeadlines"));
	}

	@Configuration(proxyBeanMethods = false)
	static class Material {

		@Bean
		CertificateSource certificateSource() {
			return TestMaterial.source("counting");
		}

	}

}
