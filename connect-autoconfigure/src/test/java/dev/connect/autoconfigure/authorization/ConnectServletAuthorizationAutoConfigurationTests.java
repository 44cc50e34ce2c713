package dev.connect.autoconfigure.authorization;

import java.net.URI;

import dev.connect.autoconfigure.ConnectProperties;
import dev.connect.autoconfigure.TestMaterial;
import dev.connect.client.AgentClient;
import dev.connect.client.AgentClientSettings;
import dev.connect.tls.CertificateSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectServletAuthorizationAutoConfigurationTests {

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations
		.of(ConnectAuthorizationAutoConfiguration.class, ConnectServletAuthorizationAutoConfiguration.class);

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
		.withUserConfiguration(Beans.class)
		.withPropertyValues("spring.application.name=counting");

	@Test
	void aServletAppGetsTheFilterFirstAndNoWebFilter() {
		this.runner.run((context) -> {
			assertThat(context).hasBean("connectAuthorizationServletFilter")
				.hasSingleBean(IntentionWatch.class)
				.doesNotHaveBean(IntentionAuthorizationWebFilter.class);
			FilterRegistrationBean<?> registration = context.getBean("connectAuthorizationServletFilter",
					FilterRegistrationBean.class);
			assertThat(registration.getFilter()).isInstanceOf(IntentionAuthorizationServletFilter.class);
			assertThat(registration.getOrder()).as("before Spring Security's -100").isLessThan(-100);
		});
	}

	@Test
	void aReactiveAppGetsOnlyTheWebFilter() {
		new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withUserConfiguration(Beans.class)
			.withPropertyValues("spring.application.name=counting")
			.run((context) -> assertThat(context).hasSingleBean(IntentionAuthorizationWebFilter.class)
				.doesNotHaveBean("connectAuthorizationServletFilter"));
	}

	@Test
	void authorizationOrServerTlsOffMeansNoFilter() {
		this.runner.withPropertyValues("connect.authorization.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("connectAuthorizationServletFilter"));
		this.runner.withPropertyValues("connect.tls.server.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("connectAuthorizationServletFilter"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(ConnectProperties.class)
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
