package dev.connect.autoconfigure.client;

import java.net.URI;

import dev.connect.autoconfigure.TestMaterial;
import dev.connect.mesh.MeshHttpClients;
import dev.connect.tls.CertificateSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.mock.http.client.MockClientHttpRequest;
import org.springframework.mock.http.client.MockClientHttpResponse;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the outbound auto-configuration does to the application's blocking clients, without a network.
 */
class BlockingMeshClientsTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ConnectClientAutoConfiguration.class))
		.withUserConfiguration(Material.class);

	@Test
	void loadBalancedRestClientAndRestTemplateGetTheMeshFactoryAndPlainOnesAreLeftAlone() {
		this.runner.withUserConfiguration(Clients.class).run((context) -> {
			Object mesh = context.getBean("connectMeshRequestFactory");
			assertThat(mesh).isInstanceOf(MeshClientHttpRequestFactory.class);
			RestTemplate template = context.getBean("meshTemplate", RestTemplate.class);
			assertThat(template.getRequestFactory()).extracting("requestFactory").isSameAs(mesh);
			assertThat(template.getInterceptors().get(0)).isInstanceOf(ExpectedUpstreamInterceptor.class);
			RestTemplate plain = context.getBean("plainTemplate", RestTemplate.class);
			assertThat(plain.getInterceptors()).isEmpty();
			assertThat(plain.getRequestFactory()).isInstanceOf(SimpleClientHttpRequestFactory.class);
			assertThat(context.getBean("meshBuilder", RestClient.Builder.class)).extracting("requestFactory")
				.isSameAs(mesh);
			assertThat(context.getBean("plainBuilder", RestClient.Builder.class)).extracting("requestFactory")
				.isNull();
		});
	}

	@Test
	void aUsersRequestFactoryWins() {
		this.runner.withUserConfiguration(UserFactory.class)
			.run((context) -> assertThat(context.getBean("connectMeshRequestFactory"))
				.isInstanceOf(SimpleClientHttpRequestFactory.class));
	}

	@Test
	void theInterceptorNamesTheServiceAsWrittenAndRetriesOnlyWhenNothingWasSent() throws Exception {
		MockClientHttpRequest request = new MockClientHttpRequest(HttpMethod.POST, URI.create("http://counting/count"));
		int[] calls = new int[1];
		new ExpectedUpstreamInterceptor(true).intercept(request, new byte[0], (sent, body) -> {
			calls[0]++;
			if (calls[0] == 1) {
				throw new java.io.IOException(new java.net.ConnectException("Connection refused"));
			}
			return new MockClientHttpResponse(new byte[0], 200);
		});
		assertThat(request.getAttributes()).containsEntry(MeshHttpClients.UPSTREAM_SERVICE, "counting");
		assertThat(calls[0]).isEqualTo(2);
		assertThat(ExpectedUpstreamInterceptor.nothingWasSent(new java.io.IOException("Connection reset"))).isFalse();
		assertThat(ExpectedUpstreamInterceptor.nothingWasSent(
				new java.io.IOException(new javax.net.ssl.SSLHandshakeException("bad certificate")))).isTrue();
	}

	@Configuration(proxyBeanMethods = false)
	static class Material {

		@Bean
		CertificateSource certificateSource() {
			return TestMaterial.source("dashboard");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Clients {

		@Bean
		@LoadBalanced
		RestTemplate meshTemplate() {
			return new RestTemplate();
		}

		@Bean
		RestTemplate plainTemplate() {
			return new RestTemplate();
		}

		@Bean
		@LoadBalanced
		RestClient.Builder meshBuilder() {
			return RestClient.builder();
		}

		@Bean
		RestClient.Builder plainBuilder() {
			return RestClient.builder();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserFactory {

		@Bean
		ClientHttpRequestFactory connectMeshRequestFactory() {
			return new SimpleClientHttpRequestFactory();
		}

	}

}
