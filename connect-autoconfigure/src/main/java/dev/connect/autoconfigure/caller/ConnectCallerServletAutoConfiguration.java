package dev.connect.autoconfigure.caller;

import jakarta.servlet.Filter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The mesh caller in a servlet application, as on WebFlux: Spring MVC handler methods may declare a
 * {@code ServiceIdentity} parameter, and with Spring Security the caller is the request's authentication
 * ({@code connect.caller.security.enabled}); the request attribute {@link ConnectCaller#ATTRIBUTE} is set by the
 * authorization filter.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(Filter.class)
@EnableConfigurationProperties(ConnectCallerProperties.class)
public final class ConnectCallerServletAutoConfiguration {

	ConnectCallerServletAutoConfiguration() {
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(WebMvcConfigurer.class)
	static class MvcArgument {

		@Bean
		WebMvcConfigurer connectCallerMvcArgumentResolver() {
			return new WebMvcConfigurer() {

				@Override
				public void addArgumentResolvers(java.util.List<HandlerMethodArgumentResolver> resolvers) {
					resolvers.add(new ServletServiceIdentityArgumentResolver());
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.security.core.context.SecurityContextHolder",
			"org.springframework.security.web.context.RequestAttributeSecurityContextRepository" })
	@ConditionalOnProperty(prefix = "connect.caller.security", name = "enabled", matchIfMissing = true)
	static class SecurityAuthentication {

		@Bean
		FilterRegistrationBean<CallerAuthenticationServletFilter> connectCallerAuthenticationServletFilter() {
			FilterRegistrationBean<CallerAuthenticationServletFilter> registration = new FilterRegistrationBean<>(
					new CallerAuthenticationServletFilter());
			registration.setOrder(CallerAuthenticationServletFilter.ORDER);
			registration.setName("connectCallerAuthenticationFilter");
			return registration;
		}

	}

}
