package dev.connect.autoconfigure.caller;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.web.reactive.config.WebFluxConfigurer;

import static org.assertj.core.api.Assertions.assertThat;

/** The conditions of both caller auto-configurations: the handler argument and the Spring Security authentication. */
class ConnectCallerAutoConfigurationTests {

	private static final AutoConfigurations BOTH = AutoConfigurations.of(ConnectCallerAutoConfiguration.class,
			ConnectCallerSecurityAutoConfiguration.class);

	private static ReactiveWebApplicationContextRunner reactiveRunner() {
		return new ReactiveWebApplicationContextRunner().withConfiguration(BOTH);
	}

	private static ReactiveWebApplicationContextRunner noSpringSecurityRunner() {
		return reactiveRunner().withClassLoader(new FilteredClassLoader(ReactiveSecurityContextHolder.class));
	}

	private static ReactiveWebApplicationContextRunner noWebFluxConfigurerRunner() {
		return reactiveRunner().withClassLoader(new FilteredClassLoader(WebFluxConfigurer.class));
	}

	@Test
	void reactiveAppWithSpringSecurityGetsTheArgumentResolverAndTheAuthenticationFilter() {
		reactiveRunner().run((context) -> assertThat(context).hasBean("connectCallerArgumentResolver")
			.hasSingleBean(CallerAuthenticationWebFilter.class)
			.hasSingleBean(ConnectCallerProperties.class));
	}

	@Test
	void withoutSpringSecurityThereIsNoAuthenticationFilterButTheArgumentResolverStays() {
		noSpringSecurityRunner().run((context) -> assertThat(context).hasBean("connectCallerArgumentResolver")
			.doesNotHaveBean(CallerAuthenticationWebFilter.class));
	}

	@Test
	void withoutWebFluxConfigurersThereIsNoArgumentResolver() {
		noWebFluxConfigurerRunner()
			.run((context) -> assertThat(context).doesNotHaveBean("connectCallerArgumentResolver"));
	}

	@Test
	void theAuthenticationCanBeTurnedOff() {
		reactiveRunner().withPropertyValues("connect.caller.security.enabled=false")
			.run((context) -> assertThat(context).hasBean("connectCallerArgumentResolver")
				.doesNotHaveBean(CallerAuthenticationWebFilter.class));
	}

	@Test
	void nonReactiveApplicationGetsNeither() {
		new ApplicationContextRunner().withConfiguration(BOTH)
			.run((context) -> assertThat(context).doesNotHaveBean("connectCallerArgumentResolver")
				.doesNotHaveBean(CallerAuthenticationWebFilter.class));
	}

}
