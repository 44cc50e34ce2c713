package dev.connect.autoconfigure.tls.server;

import dev.connect.autoconfigure.ConnectAutoConfiguration;
import dev.connect.autoconfigure.TestMaterial;
import dev.connect.autoconfigure.tls.ConnectSslBundleRegistrar;
import dev.connect.autoconfigure.tls.ConnectTlsAutoConfiguration;
import dev.connect.tls.CertificateSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectServerTlsAutoConfigurationTests {

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(ConnectAutoConfiguration.class,
			ConnectTlsAutoConfiguration.class, SslAutoConfiguration.class, ConnectServerTlsAutoConfiguration.class);

	private final ReactiveWebApplicationContextRunner reactiveRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(CONFIGURATIONS)
		.withUserConfiguration(Material.class);

	@Test
	void reactiveAppGetsTheConnectBundleAndTheServerCustomizer() {
		this.reactiveRunner.run((context) -> {
			assertThat(context).hasSingleBean(ConnectSslBundleRegistrar.class);
			assertThat(context).hasBean("connectServerTlsCustomizer");
			SslBundle bundle = context.getBean(SslBundles.class).getBundle("connect");
			assertThat(bundle.getOptions().getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
			assertThat(bundle.getStores().getKeyStore().size()).isEqualTo(1);
			assertThat(bundle.getStores().getTrustStore().size()).isEqualTo(1);
		});
	}

	@Test
	void whenServerTlsIsTurnedOffThenNoCustomizer() {
		this.reactiveRunner.withPropertyValues("connect.tls.server.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("connectServerTlsCustomizer")
				.hasSingleBean(ConnectSslBundleRegistrar.class));
	}

	@Test
	void nonReactiveApplicationGetsNoServerCustomizer() {
		new ApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withUserConfiguration(Material.class)
			.run((context) -> assertThat(context).doesNotHaveBean("connectServerTlsCustomizer"));
	}

	@Test
	void withoutNettyTheBundleIsNotRegistered() {
		this.reactiveRunner.withClassLoader(new FilteredClassLoader("io.netty.handler.ssl.util"))
			.run((context) -> assertThat(context).doesNotHaveBean(ConnectSslBundleRegistrar.class)
				.doesNotHaveBean("connectServerTlsCustomizer"));
	}

	@Configuration(proxyBeanMethods = false)
	static class Material {

		@Bean
		CertificateSource certificateSource() {
			return TestMaterial.source("counting");
		}

	}

}
