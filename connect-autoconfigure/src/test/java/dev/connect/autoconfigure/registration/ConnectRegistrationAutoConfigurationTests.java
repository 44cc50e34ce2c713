package dev.connect.autoconfigure.registration;

import java.net.URI;

import dev.connect.autoconfigure.ConnectProperties;
import dev.connect.autoconfigure.UnsecurableServiceException;
import dev.connect.client.AgentClient;
import dev.connect.client.AgentClientSettings;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectRegistrationAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ConnectRegistrationAutoConfiguration.class))
		.withUserConfiguration(Client.class);

	@Test
	void registrationLifecycleIsPresentWithAnAgentClient() {
		this.runner.run((context) -> assertThat(context).hasBean("connectServiceRegistration"));
	}

	@Test
	void registrationCanBeTurnedOff() {
		this.runner.withPropertyValues("connect.registration.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("connectServiceRegistration"));
	}

	@Test
	void withoutAnAgentClientThereIsNoRegistration() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ConnectRegistrationAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean("connectServiceRegistration"));
	}

	@Test
	void annotatedApplicationWithoutAWebServerFailsNamingThePortAttribute() {
		this.runner.withUserConfiguration(Annotated.class)
			.withPropertyValues("spring.application.name=batch")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(UnsecurableServiceException.class)
					.hasMessage("@ConnectService 'batch' has no port to register: the application runs no web server.");
				assertThat(((UnsecurableServiceException) context.getStartupFailure().getCause()).action())
					.contains("@ConnectService(port = ...)");
			});
	}

	@Test
	void malformedMetaIsRefusedNamingThePair() {
		assertThat(org.assertj.core.api.Assertions.catchThrowable(
				() -> ConnectServiceRegistrar.ServiceSpec.meta(new String[] { "team" })))
			.hasMessage("@ConnectService meta 'team' must be key=value, for example 'team=payments'");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(ConnectProperties.class)
	static class Client {

		@Bean
		AgentClient agentClient() {
			return AgentClient.create(AgentClientSettings.defaults().withAddress(URI.create("http://127.0.0.1:1")));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConnectService
	static class Annotated {

	}

}
