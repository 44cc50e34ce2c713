package dev.connect.autoconfigure.caller;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;

/**
 * With Spring Security in a reactive application, the mesh caller of a request is its authentication
 * ({@link ConnectCallerAuthentication}), so Spring Security's rules can name services; intentions are still checked
 * first ({@code connect.caller.security.enabled}).
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(ReactiveSecurityContextHolder.class)
@ConditionalOnProperty(prefix = "connect.caller.security", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(ConnectCallerProperties.class)
public final class ConnectCallerSecurityAutoConfiguration {

	ConnectCallerSecurityAutoConfiguration() {
	}

	@Bean
	CallerAuthenticationWebFilter connectCallerAuthenticationWebFilter() {
		return new CallerAuthenticationWebFilter();
	}

}
