package dev.connect.autoconfigure.health;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Consumer;

import dev.connect.autoconfigure.TestMaterial;
import dev.connect.client.AgentClient;
import dev.connect.client.AgentClientSettings;
import dev.connect.tls.CertificateSnapshot;
import dev.connect.tls.CertificateSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectHealthAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ConnectHealthAutoConfiguration.class))
		.withUserConfiguration(Beans.class);

	@Test
	void withValidMaterialTheServiceIsUpEvenWhenTheAgentIsAway() {
		this.runner.run((context) -> {
			Health health = context.getBean(ConnectHealthIndicator.class).health().block(Duration.ofSeconds(10));
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("agentReachable", false)
				.containsEntry("trustDomain", "11111111-2222-3333-4444-555555555555.consul")
				.containsEntry("roots", 1)
				.containsKeys("spiffeId", "serialNumber", "validBefore", "agent");
			assertThat(health.getDetails().toString()).doesNotContain("PRIVATE");
		});
	}

	@Test
	void withoutMaterialOrWithAnExpiredLeafTheServiceIsDown() {
		CertificateSource valid = TestMaterial.source("counting");
		AgentClient unreachable = AgentClient.create(AgentClientSettings.defaults().withAddress(URI.create("http://127.0.0.1:1")));
		ConnectHealthIndicator none = new ConnectHealthIndicator(empty(), unreachable, Clock.systemUTC());
		assertThat(none.health().block(Duration.ofSeconds(10)).getStatus()).isEqualTo(Status.DOWN);
		Instant afterExpiry = valid.current().validBefore().plusSeconds(1);
		ConnectHealthIndicator expired = new ConnectHealthIndicator(valid, unreachable,
				Clock.fixed(afterExpiry, ZoneOffset.UTC));
		Health health = expired.health().block(Duration.ofSeconds(10));
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("reason", "the leaf certificate expired");
	}

	@Test
	void indicatorCanBeTurnedOff() {
		this.runner.withPropertyValues("management.health.connect.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ConnectHealthIndicator.class));
	}

	private static CertificateSource empty() {
		return new CertificateSource() {

			@Override
			public CertificateSnapshot current() {
				return null;
			}

			@Override
			public void onChange(Consumer<CertificateSnapshot> listener) {
			}

		};
	}

	@Configuration(proxyBeanMethods = false)
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

}
