package dev.connect.autoconfigure;

import dev.connect.client.AgentClient;
import dev.connect.tls.CertificateSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ConnectAutoConfiguration.class));

	@Test
	void whenAgentIsUnreachableThenStartupFailsWithAnAction() {
		this.runner
			.withPropertyValues("spring.application.name=counting", "connect.agent.url=http://127.0.0.1:1",
					"connect.agent.startup-timeout=1s")
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable failure = context.getStartupFailure();
				AgentUnreachableException cause = findCause(failure);
				assertThat(cause.getMessage()).startsWith(
						"Connect could not get a certificate for service 'counting' from the agent at http://127.0.0.1:1 within PT1S");
				FailureAnalysis analysis = new AgentUnreachableFailureAnalyzer().analyze(failure);
				assertThat(analysis.getDescription()).isEqualTo(cause.getMessage());
				assertThat(analysis.getAction()).contains("java -jar connect-agent.jar agent -dev")
					.contains("connect.agent.url");
			});
	}

	@Test
	void whenTheServiceHasNoNameThenStartupFailsNamingTheProperties() {
		this.runner.withPropertyValues("connect.agent.url=http://127.0.0.1:1").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessage("Connect needs this service's name: set 'connect.service' or 'spring.application.name'");
		});
	}

	@Test
	void userCertificateSourceAndClientWin() {
		this.runner.withUserConfiguration(UserBeans.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(CertificateSource.class);
			assertThat(context.getBean(CertificateSource.class)).isSameAs(context.getBean(UserBeans.class).source);
			assertThat(context).hasSingleBean(AgentClient.class);
		});
	}

	@Test
	void agentAddressAndTokenComeFromPropertiesBeforeConsulsVariables() {
		this.runner.withUserConfiguration(UserBeans.class)
			.withPropertyValues("connect.agent.url=http://127.0.0.2:8501", "connect.agent.token=from-property",
					"CONSUL_HTTP_ADDR=127.0.0.1:9999", "CONSUL_HTTP_TOKEN=from-environment")
			.run((context) -> {
				AgentClient client = context.getBean(AgentClient.class);
				assertThat(client.settings().address()).hasToString("http://127.0.0.2:8501");
				assertThat(client.settings().token()).isEqualTo("from-property");
				assertThat(client.settings().toString()).doesNotContain("from-property");
			});
		this.runner.withUserConfiguration(UserBeans.class)
			.withPropertyValues("CONSUL_HTTP_ADDR=127.0.0.1:9999", "CONSUL_HTTP_TOKEN=from-environment")
			.run((context) -> {
				AgentClient client = context.getBean(AgentClient.class);
				assertThat(client.settings().address()).hasToString("http://127.0.0.1:9999");
				assertThat(client.settings().token()).isEqualTo("from-environment");
			});
	}

	private static AgentUnreachableException findCause(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof AgentUnreachableException unreachable) {
				return unreachable;
			}
		}
		throw new AssertionError("no AgentUnreachableException in " + failure);
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		final CertificateSource source = TestMaterial.source("counting");

		@Bean
		CertificateSource userSource() {
			return this.source;
		}

	}

}
