package dev.connect.autoconfigure.health;

import java.time.Clock;

import dev.connect.autoconfigure.ConnectAutoConfiguration;
import dev.connect.client.AgentClient;
import dev.connect.tls.CertificateSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The health indicator {@code connect} ({@code management.health.connect.enabled}). Add it to the readiness
 * group with {@code management.endpoint.health.group.readiness.include=readinessState,connect}.
 */
@AutoConfiguration(after = ConnectAutoConfiguration.class)
@ConditionalOnClass(AbstractReactiveHealthIndicator.class)
@ConditionalOnBean({ CertificateSource.class, AgentClient.class })
@ConditionalOnEnabledHealthIndicator("connect")
public final class ConnectHealthAutoConfiguration {

	ConnectHealthAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean(name = "connectHealthIndicator")
	ConnectHealthIndicator connectHealthIndicator(CertificateSource source, AgentClient client) {
		return new ConnectHealthIndicator(source, client, Clock.systemUTC());
	}

}
