package dev.connect.autoconfigure.caller;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;
import org.springframework.security.core.context.SecurityContextHolder;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectCallerServletAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ConnectCallerServletAutoConfiguration.class));

	@Test
	void aServletAppGetsTheArgumentResolverAndTheSecurityAuthenticationAfterTheAuthorizationFilter() {
		this.runner.run((context) -> {
			assertThat(context).hasBean("connectCallerMvcArgumentResolver");
			FilterRegistrationBean<?> registration = context.getBean("connectCallerAuthenticationServletFilter",
					FilterRegistrationBean.class);
			// After the authorization filter (HIGHEST_PRECEDENCE + 10), before Spring Security's (-100).
			assertThat(registration.getOrder()).isBetween(Ordered.HIGHEST_PRECEDENCE + 11, -101);
		});
	}

	@Test
	void withoutSpringSecurityOrWithItsPropertyOffThereIsNoAuthentication() {
		this.runner.withClassLoader(new FilteredClassLoader(SecurityContextHolder.class))
			.run((context) -> assertThat(context).hasBean("connectCallerMvcArgumentResolver")
				.doesNotHaveBean("connectCallerAuthenticationServletFilter"));
		this.runner.withPropertyValues("connect.caller.security.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("connectCallerAuthenticationServletFilter"));
	}

	@Test
	void withoutSpringMvcThereIsNoArgumentResolver() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.web.servlet"))
			.run((context) -> assertThat(context).doesNotHaveBean("connectCallerMvcArgumentResolver")
				.hasBean("connectCallerAuthenticationServletFilter"));
	}

	@Test
	void aReactiveAppGetsNoneOfIt() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ConnectCallerServletAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean("connectCallerMvcArgumentResolver")
				.doesNotHaveBean("connectCallerAuthenticationServletFilter"));
	}

}
