package dev.connect.autoconfigure.metrics;

import dev.connect.autoconfigure.authorization.AuthorizerDecorator;
import dev.connect.autoconfigure.ConnectAutoConfiguration;
import dev.connect.autoconfigure.authorization.ConnectAuthorizationAutoConfiguration;
import dev.connect.tls.CertificateSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters of Connect, when Micrometer is on the class path and a registry is present.
 */
@AutoConfiguration(after = ConnectAutoConfiguration.class, before = ConnectAuthorizationAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
public final class ConnectMetricsAutoConfiguration {

	ConnectMetricsAutoConfiguration() {
	}

	@Bean
	@ConditionalOnBean({ CertificateSource.class, MeterRegistry.class })
	RotationMetrics connectRotationMetrics(CertificateSource source, MeterRegistry registry) {
		return new RotationMetrics(source, registry);
	}

	@Bean
	AuthorizerDecorator connectAuthorizationMetrics(ObjectProvider<MeterRegistry> registry) {
		return (authorizer) -> {
			MeterRegistry meters = registry.getIfAvailable();
			return (meters != null) ? new MeteredAuthorizer(authorizer, meters) : authorizer;
		};
	}

}
