package dev.connect.autoconfigure.caller;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;

/**
 * Handler methods of a reactive application may declare a {@code ServiceIdentity} parameter: the mesh caller of the
 * request (see {@link ConnectCaller}).
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(WebFluxConfigurer.class)
public final class ConnectCallerAutoConfiguration {

	ConnectCallerAutoConfiguration() {
	}

	@Bean
	WebFluxConfigurer connectCallerArgumentResolver() {
		return new WebFluxConfigurer() {

			@Override
			public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
				configurer.addCustomResolver(new ServiceIdentityArgumentResolver());
			}

		};
	}

}
