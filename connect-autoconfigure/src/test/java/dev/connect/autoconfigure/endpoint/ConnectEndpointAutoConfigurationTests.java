package dev.connect.autoconfigure.endpoint;

import java.util.Map;

import dev.connect.autoconfigure.TestMaterial;
import dev.connect.tls.CertificateSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectEndpointAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ConnectEndpointAutoConfiguration.class))
		.withUserConfiguration(Material.class);

	@Test
	void exposedEndpointDescribesIdentityAndMaterialWithoutTheKey() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=connect").run((context) -> {
			Map<String, Object> answer = context.getBean(ConnectEndpoint.class).connect();
			assertThat(answer).containsEntry("identity",
					"spiffe://11111111-2222-3333-4444-555555555555.consul/ns/default/dc/dc1/svc/counting");
			assertThat(answer).containsKeys("leaf", "roots", "trustDomain");
			assertThat(answer.toString()).doesNotContain("PRIVATE");
		});
	}

	@Test
	void endpointIsNotCreatedUnlessExposed() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(ConnectEndpoint.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class Material {

		@Bean
		CertificateSource certificateSource() {
			return TestMaterial.source("counting");
		}

	}

}
