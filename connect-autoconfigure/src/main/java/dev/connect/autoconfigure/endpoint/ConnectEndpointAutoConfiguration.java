package dev.connect.autoconfigure.endpoint;

import dev.connect.authz.CachingAuthorizer;
import dev.connect.autoconfigure.ConnectAutoConfiguration;
import dev.connect.autoconfigure.authorization.ConnectAuthorizationAutoConfiguration;
import dev.connect.authz.l7.L7PolicySource;
import dev.connect.autoconfigure.authorization.RecentDenials;
import dev.connect.tls.CertificateSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * The actuator endpoint {@code connect}, when the actuator is present and the endpoint is exposed.
 */
@AutoConfiguration(after = { ConnectAutoConfiguration.class, ConnectAuthorizationAutoConfiguration.class })
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnBean(CertificateSource.class)
@ConditionalOnAvailableEndpoint(ConnectEndpoint.class)
public final class ConnectEndpointAutoConfiguration {

	ConnectEndpointAutoConfiguration() {
	}

	@Bean
	ConnectEndpoint connectEndpoint(CertificateSource source, ObjectProvider<CachingAuthorizer> authorizer,
			ObjectProvider<RecentDenials> denials, ObjectProvider<L7PolicySource> l7) {
		return new ConnectEndpoint(source, authorizer.getIfAvailable(), denials.getIfAvailable(), l7.getIfAvailable());
	}

}
