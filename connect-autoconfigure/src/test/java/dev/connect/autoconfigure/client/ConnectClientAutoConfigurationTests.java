package dev.connect.autoconfigure.client;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import dev.connect.autoconfigure.TestMaterial;
import dev.connect.mesh.MeshHttpClients;
import dev.connect.mesh.UpstreamAddressBook;
import dev.connect.tls.CertificateSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.cloud.client.loadbalancer.reactive.LoadBalancedExchangeFilterFunction;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The conditions of the outbound auto-configuration and what it does to the application's WebClient builders,
 * without a network: calls end in an exchange function that records what the mesh connector would see.
 */
class ConnectClientAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ConnectClientAutoConfiguration.class))
		.withUserConfiguration(Material.class);

	@Test
	void aLoadBalancedBuilderGetsTheMeshConnectorAndNamesTheServiceOfEachCallWhileAPlainOneIsLeftAlone() {
		this.runner.withUserConfiguration(Builders.class).run((context) -> {
			WebClient.Builder mesh = context.getBean("mesh", WebClient.Builder.class);
			WebClient.Builder plain = context.getBean("plain", WebClient.Builder.class);
			assertThat(mesh).extracting("connector").isSameAs(context.getBean("connectMeshConnector"));
			assertThat(plain).extracting("connector").isNull();
			assertThat(plain).extracting("filters").isNull();
			// The application's own filter, added before the starter's: the starter's still runs first, so every
			// filter (the load balancer's too) sees the service named.
			assertThat(serviceSeenBy(mesh, "http://counting/count")).isEqualTo("counting");
			assertThat(serviceSeenBy(plain, "http://example.org/")).isNull();
		});
	}

	@Test
	void aNamedUpstreamsCallsGoThroughTheMeshConnectorAndNameTheirService() {
		this.runner.withUserConfiguration(LoadBalancing.class).run((context) -> {
			WebClient.Builder counting = context.getBean(ConnectUpstreams.class).webClientBuilder("counting");
			assertThat(counting).extracting("connector").isSameAs(context.getBean("connectMeshConnector"));
			assertThat(serviceSeenBy(counting, "/count")).isEqualTo("counting");
			assertThat(context.getBean(LoadBalancing.class).seen).as("by the load balancer's filter").hasValue("counting");
		});
	}

	@Test
	void withoutALoadBalancerANamedUpstreamIsRefusedWithTheReason() {
		this.runner.run((context) -> assertThatIllegalStateException()
			.isThrownBy(() -> context.getBean(ConnectUpstreams.class).webClient("counting"))
			.withMessage("Unable to call upstream 'counting': no load balancer is configured. Calls to a named upstream "
					+ "need Spring Cloud LoadBalancer's auto-configuration (the starter brings it; check that "
					+ "'spring.cloud.loadbalancer.enabled' is not false)"));
	}

	@Test
	void withoutSpringCloudLoadBalancerItBacksOff() {
		this.runner.withClassLoader(new FilteredClassLoader(ServiceInstanceListSupplier.class))
			.run((context) -> assertThat(context).doesNotHaveBean("connectMeshConnector")
				.doesNotHaveBean(UpstreamAddressBook.class));
	}

	@Test
	void withoutCertificateMaterialItBacksOff() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ConnectClientAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean("connectMeshConnector")
				.doesNotHaveBean(ConnectUpstreams.class));
	}

	@Test
	void theApplicationsOwnConnectorAndAddressBookWin() {
		this.runner.withUserConfiguration(OwnBeans.class).run((context) -> {
			assertThat(context.getBean("connectMeshConnector")).isSameAs(context.getBean(OwnBeans.class).connector);
			assertThat(context.getBean(UpstreamAddressBook.class)).isSameAs(context.getBean(OwnBeans.class).upstreams);
		});
	}

	private static String serviceSeenBy(WebClient.Builder builder, String url) {
		AtomicReference<String> seen = new AtomicReference<>();
		ExchangeFunction recording = (request) -> Mono.deferContextual((context) -> {
			seen.set(context.getOrDefault(MeshHttpClients.UPSTREAM_SERVICE, null));
			return Mono.just(ClientResponse.create(HttpStatus.OK).build());
		});
		builder.clone().exchangeFunction(recording).build().get().uri(url).retrieve().toBodilessEntity()
			.block(Duration.ofSeconds(5));
		return seen.get();
	}

	@Configuration(proxyBeanMethods = false)
	static class Material {

		@Bean
		CertificateSource certificateSource() {
			return TestMaterial.source("dashboard");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Builders {

		@Bean
		@LoadBalanced
		WebClient.Builder mesh() {
			ExchangeFilterFunction own = (request, next) -> next.exchange(request);
			return WebClient.builder().filter(own);
		}

		@Bean
		WebClient.Builder plain() {
			return WebClient.builder();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class LoadBalancing {

		final AtomicReference<String> seen = new AtomicReference<>();

		@Bean
		LoadBalancedExchangeFilterFunction loadBalancing() {
			return (request, next) -> Mono.deferContextual((context) -> {
				this.seen.set(context.getOrDefault(MeshHttpClients.UPSTREAM_SERVICE, null));
				return next.exchange(request);
			});
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnBeans {

		final ReactorClientHttpConnector connector = new ReactorClientHttpConnector(HttpClient.create());

		final UpstreamAddressBook upstreams = new UpstreamAddressBook();

		@Bean
		ReactorClientHttpConnector connectMeshConnector() {
			return this.connector;
		}

		@Bean
		UpstreamAddressBook ownAddressBook() {
			return this.upstreams;
		}

	}

}
