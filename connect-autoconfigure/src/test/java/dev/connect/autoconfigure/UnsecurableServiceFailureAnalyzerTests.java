package dev.connect.autoconfigure;

import java.net.URI;

import dev.connect.autoconfigure.registration.ConnectRegistrationAutoConfiguration;
import dev.connect.autoconfigure.registration.ConnectService;
import dev.connect.client.AgentClient;
import dev.connect.client.AgentClientSettings;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.ApplicationContextAssertProvider;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each configuration the starter cannot secure is refused at start-up, before the web server starts and before any
 * registration, with a failure analysis naming the setting or annotation and the fix.
 */
class UnsecurableServiceFailureAnalyzerTests {

	private final ReactiveWebApplicationContextRunner reactive = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ConnectRegistrationAutoConfiguration.class))
		.withUserConfiguration(Client.class)
		.withPropertyValues("spring.application.name=greeter");

	@Test
	void aServletApplicationWithConnectServiceOnAServerTheStarterDoesNotSecureIsRefused() {
		new WebApplicationContextRunner()
			.withClassLoader(new org.springframework.boot.test.context.FilteredClassLoader(
					org.apache.catalina.startup.Tomcat.class))
			.withConfiguration(AutoConfigurations.of(ConnectRegistrationAutoConfiguration.class))
			.withUserConfiguration(Client.class, Annotated.class)
			.withPropertyValues("spring.application.name=greeter")
			.run((context) -> assertRefused(context,
					String.format(UnsecurableServiceException.SERVLET, "a servlet container", "greeter"),
					UnsecurableServiceException.SERVLET_ACTION));
	}

	@Test
	void aServletApplicationWithConnectServiceOnTomcatWithoutTheMeshTlsIsRefused() {
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(ConnectRegistrationAutoConfiguration.class))
			.withUserConfiguration(Client.class, Annotated.class)
			.withPropertyValues("spring.application.name=greeter")
			.run((context) -> assertRefused(context, String.format(UnsecurableServiceException.SERVLET,
					"Tomcat without the mesh's TLS (ConnectTomcatTlsAutoConfiguration did not apply)", "greeter"),
					UnsecurableServiceException.SERVLET_ACTION));
	}

	@Test
	void aServletApplicationThatOnlyCallsIntoTheMeshStarts() {
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(ConnectRegistrationAutoConfiguration.class))
			.withUserConfiguration(Client.class)
			.withPropertyValues("spring.application.name=greeter")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void aRegistrationWithTheMeshServerOffIsRefused() {
		this.reactive.withUserConfiguration(Annotated.class)
			.withPropertyValues("connect.tls.server.enabled=false")
			.run((context) -> assertRefused(context, String.format(UnsecurableServiceException.SERVER_OFF, "greeter"),
					UnsecurableServiceException.SERVER_OFF_ACTION));
	}

	@Test
	void theEdgeShapeWithServerAndRegistrationOffStartsAndRegistersNothing() {
		this.reactive.withUserConfiguration(Annotated.class)
			.withPropertyValues("connect.tls.server.enabled=false", "connect.registration.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("connectServiceRegistration"));
	}

	@Test
	void aRegistrationNameThatIsNotTheIdentityIsRefusedNamingBoth() {
		this.reactive.withUserConfiguration(Renamed.class)
			.run((context) -> assertRefused(context,
					"@ConnectService(name = \"greeter2\") contradicts the service identity 'greeter' (from "
							+ "spring.application.name): the service would be registered as 'greeter2' but present the "
							+ "certificate of 'greeter', which callers of 'greeter2' refuse.",
					"Use one name: remove 'name' from @ConnectService, or set spring.application.name to 'greeter2'."));
	}

	@Test
	void theIdentitySetByConnectServiceIsNamedAsTheSource() {
		this.reactive.withUserConfiguration(Renamed.class)
			.withPropertyValues("connect.service=greeter")
			.run((context) -> assertThat(analysis(context).getAction())
				.isEqualTo("Use one name: remove 'name' from @ConnectService, or set connect.service to 'greeter2'."));
	}

	@Test
	void aRegistrationNameEqualToTheIdentityPassesTheGuard() {
		this.reactive.withUserConfiguration(Renamed.class)
			.withPropertyValues("spring.application.name=greeter2")
			.run((context) -> assertThat(context.getStartupFailure()).as("only the runner's missing web server stops it")
				.hasRootCauseMessage(String.format(UnsecurableServiceException.NO_PORT, "greeter2")));
	}

	private static void assertRefused(ApplicationContextAssertProvider<?> context, String description, String action) {
		assertThat(context).hasFailed();
		assertThat(context.getStartupFailure()).isInstanceOf(UnsecurableServiceException.class);
		FailureAnalysis analysis = analysis(context);
		assertThat(analysis.getDescription()).isEqualTo(description);
		assertThat(analysis.getAction()).isEqualTo(action);
	}

	private static FailureAnalysis analysis(ApplicationContextAssertProvider<?> context) {
		FailureAnalysis analysis = new UnsecurableServiceFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("a failure analysis").isNotNull();
		return analysis;
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

	@Configuration(proxyBeanMethods = false)
	@ConnectService(name = "greeter2")
	static class Renamed {

	}

}
