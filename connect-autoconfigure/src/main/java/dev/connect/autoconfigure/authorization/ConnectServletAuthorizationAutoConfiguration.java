package dev.connect.autoconfigure.authorization;

import dev.connect.authz.CachingAuthorizer;
import dev.connect.authz.l7.L7PolicySource;
import dev.connect.autoconfigure.ConnectProperties;
import dev.connect.tls.CertificateSource;
import jakarta.servlet.Filter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Authorizes every request on a servlet application's mesh port against intentions, with the decisions of
 * {@link ConnectAuthorizationAutoConfiguration}: a servlet filter registered first, before Spring Security's
 * ({@code -100}) and every filter of the application.
 */
@AutoConfiguration(after = ConnectAuthorizationAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(Filter.class)
@ConditionalOnBean(CachingAuthorizer.class)
@ConditionalOnProperty(prefix = "connect.tls.server", name = "enabled", matchIfMissing = true)
public final class ConnectServletAuthorizationAutoConfiguration {

	/** The filter's order: the same place the reactive filter takes among web filters. */
	static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

	ConnectServletAuthorizationAutoConfiguration() {
	}

	@Bean
	FilterRegistrationBean<IntentionAuthorizationServletFilter> connectAuthorizationServletFilter(
			CachingAuthorizer authorizer, ObjectProvider<AuthorizerDecorator> decorators, RecentDenials denials,
			CertificateSource source, L7PolicySource l7, ConnectProperties connect, Environment environment) {
		CallerCheck check = ConnectAuthorizationAutoConfiguration.callerCheck(authorizer, decorators, denials, source,
				l7, connect.resolveService(environment));
		FilterRegistrationBean<IntentionAuthorizationServletFilter> registration = new FilterRegistrationBean<>(
				new IntentionAuthorizationServletFilter(check,
						ConnectAuthorizationAutoConfiguration.meshPort(environment)));
		registration.setOrder(ORDER);
		registration.setName("connectAuthorizationFilter");
		return registration;
	}

}
