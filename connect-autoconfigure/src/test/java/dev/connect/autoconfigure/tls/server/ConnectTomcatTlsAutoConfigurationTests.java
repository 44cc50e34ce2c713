package dev.connect.autoconfigure.tls.server;

import dev.connect.autoconfigure.ConnectAutoConfiguration;
import dev.connect.autoconfigure.TestMaterial;
import dev.connect.autoconfigure.tls.ConnectTlsAutoConfiguration;
import dev.connect.tls.CertificateSource;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectTomcatTlsAutoConfigurationTests {

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(ConnectAutoConfiguration.class,
			ConnectTlsAutoConfiguration.class, SslAutoConfiguration.class, ConnectServerTlsAutoConfiguration.class,
			ConnectTomcatTlsAutoConfiguration.class);

	private final WebApplicationContextRunner servletRunner = new WebApplicationContextRunner()
		.withConfiguration(CONFIGURATIONS)
		.withUserConfiguration(Material.class);

	@Test
	@SuppressWarnings("unchecked")
	void aServletAppOnTomcatGetsMutualTlsFromTheConnectBundle() {
		this.servletRunner.run((context) -> {
			assertThat(context).hasBean("connectTomcatTlsCustomizer").doesNotHaveBean("connectServerTlsCustomizer");
			TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
			context.getBean("connectTomcatTlsCustomizer", WebServerFactoryCustomizer.class).customize(factory);
			Connector connector = new Connector(Http11NioProtocol.class.getName());
			factory.getConnectorCustomizers().forEach((customizer) -> customizer.customize(connector));
			assertThat(connector.getSecure()).isTrue();
			assertThat(connector.getScheme()).isEqualTo("https");
			assertThat(maxKeepAliveRequests(connector)).as("no request limit per connection").isEqualTo(-1);
			SSLHostConfig[] configs = ((Http11NioProtocol) connector.getProtocolHandler()).findSslHostConfigs();
			assertThat(configs).singleElement().satisfies((config) -> {
				assertThat(config.getCertificateVerification()).isEqualTo(SSLHostConfig.CertificateVerification.REQUIRED);
				assertThat(config.getProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
				assertThat(config.getCertificates()).singleElement()
					.satisfies((certificate) -> assertThat(certificate.getSslContext()).isInstanceOf(TomcatSslContext.class));
			});
			// An update of the bundle (a rotation) gives the connector a new SSL context.
			Object before = configs[0].getCertificates().iterator().next().getSslContext();
			context.getBean(org.springframework.boot.ssl.SslBundleRegistry.class)
				.updateBundle("connect", context.getBean(SslBundles.class).getBundle("connect"));
			SSLHostConfig after = ((Http11NioProtocol) connector.getProtocolHandler()).findSslHostConfigs()[0];
			assertThat(after.getCertificates().iterator().next().getSslContext()).isNotSameAs(before);
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void aKeepAliveRequestLimitTheApplicationSetIsKept() {
		this.servletRunner.withPropertyValues("server.tomcat.max-keep-alive-requests=50").run((context) -> {
			TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
			context.getBean("connectTomcatTlsCustomizer", WebServerFactoryCustomizer.class).customize(factory);
			Connector connector = new Connector(Http11NioProtocol.class.getName());
			((Http11NioProtocol) connector.getProtocolHandler()).setMaxKeepAliveRequests(50);
			factory.getConnectorCustomizers().forEach((customizer) -> customizer.customize(connector));
			assertThat(maxKeepAliveRequests(connector)).isEqualTo(50);
		});
	}

	@Test
	void withoutTomcatNothingSecuresTheServletServer() {
		this.servletRunner.withClassLoader(new FilteredClassLoader(org.apache.catalina.startup.Tomcat.class))
			.run((context) -> assertThat(context).doesNotHaveBean("connectTomcatTlsCustomizer"));
	}

	@Test
	void whenServerTlsIsTurnedOffThenNoCustomizer() {
		this.servletRunner.withPropertyValues("connect.tls.server.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("connectTomcatTlsCustomizer"));
	}

	@Test
	void aReactiveAppGetsOnlyTheReactiveCustomizer() {
		new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withUserConfiguration(Material.class)
			.run((context) -> assertThat(context).doesNotHaveBean("connectTomcatTlsCustomizer")
				.hasBean("connectServerTlsCustomizer"));
	}

	@Test
	void withoutCertificatesThereIsNoCustomizer() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ConnectTlsAutoConfiguration.class, SslAutoConfiguration.class,
					ConnectTomcatTlsAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean("connectTomcatTlsCustomizer"));
	}

	/** The configured limit (Tomcat's getter answers 1 while the connector is not bound). */
	private static Object maxKeepAliveRequests(Connector connector) {
		Object endpoint = ReflectionTestUtils.getField(connector.getProtocolHandler(), "endpoint");
		return ReflectionTestUtils.getField(endpoint, "maxKeepAliveRequests");
	}

	@Configuration(proxyBeanMethods = false)
	static class Material {

		@Bean
		CertificateSource certificateSource() {
			return TestMaterial.source("counting");
		}

	}

}
