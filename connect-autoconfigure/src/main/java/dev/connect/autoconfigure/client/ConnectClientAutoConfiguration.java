package dev.connect.autoconfigure.client;

import java.util.Objects;

import dev.connect.autoconfigure.ConnectAutoConfiguration;
import dev.connect.mesh.MeshConnectionPool;
import dev.connect.mesh.MeshHttpClients;
import dev.connect.mesh.UpstreamAddressBook;
import dev.connect.tls.CertificateSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.loadbalancer.BlockingLoadBalancerInterceptor;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.cloud.client.loadbalancer.reactive.LoadBalancedExchangeFilterFunction;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Outbound mesh calls: upstream instances from the agent (the default LoadBalancer configuration) and the mesh
 * connector on every {@code @LoadBalanced WebClient.Builder}, and only there, so WebClients for other hosts are
 * untouched; the same for {@code @LoadBalanced RestClient.Builder} and {@code RestTemplate} ({@link BlockingMeshClients},
 * over the same Reactor Netty client and pool). The connector is also a bean ({@code connectMeshConnector}) for hand-built clients. It runs on the
 * app's Reactor event loops with its own connection pool ({@code connectMeshConnectionProvider}), whose
 * connections are closed when their instance leaves, when the leaf or the roots change, and after a maximum lifetime.
 * Without a {@code @LoadBalanced} bean, {@link ConnectUpstreams} gives a client for a named upstream.
 */
@AutoConfiguration(after = ConnectAutoConfiguration.class)
@ConditionalOnClass({ ServiceInstanceListSupplier.class, WebClient.class })
@ConditionalOnBean(CertificateSource.class)
@LoadBalancerClients(defaultConfiguration = ConnectLoadBalancerConfiguration.class)
@EnableConfigurationProperties(ConnectClientProperties.class)
@Import(BlockingMeshClients.class)
public final class ConnectClientAutoConfiguration {

	ConnectClientAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	UpstreamAddressBook connectUpstreamAddressBook(CertificateSource source) {
		UpstreamAddressBook upstreams = new UpstreamAddressBook();
		// What was expected where belongs to the old mesh; discovery records the new mesh's instances again.
		source.onTrustDomainChange((previous, next) -> upstreams.clear());
		return upstreams;
	}

	@Bean
	@ConditionalOnMissingBean(name = "connectMeshConnectionProvider")
	ConnectionProvider connectMeshConnectionProvider(CertificateSource source, UpstreamAddressBook upstreams,
			ConnectClientProperties properties) {
		return MeshConnectionPool.create("connect-mesh", source, upstreams, properties.getMaxConnectionLifetime(),
				properties.getMaxIdleTime(), properties.getRotationDrainTime());
	}

	@Bean
	@ConditionalOnMissingBean(name = "connectMeshConnector")
	ReactorClientHttpConnector connectMeshConnector(CertificateSource source, UpstreamAddressBook upstreams,
			@Qualifier("connectMeshConnectionProvider") ConnectionProvider connections,
			ObjectProvider<ReactorResourceFactory> resources) {
		ReactorResourceFactory factory = resources.getIfUnique();
		if (factory == null) {
			return new ReactorClientHttpConnector(MeshHttpClients.secure(HttpClient.create(connections), source, upstreams));
		}
		// The app's event loops (created when the factory starts, hence the lazy form) with the mesh's own pool: the
		// client the factory offers is built on the factory's shared pool, which the mesh must not use.
		return new ReactorClientHttpConnector(factory, (shared) -> MeshHttpClients
			.secure(HttpClient.create(connections).runOn(factory.getLoopResources()), source, upstreams));
	}

	@Bean
	@ConditionalOnMissingBean
	ConnectUpstreams connectUpstreams(@Qualifier("connectMeshConnector") ReactorClientHttpConnector connector,
			ObjectProvider<LoadBalancedExchangeFilterFunction> loadBalancing,
			@Qualifier(BlockingMeshClients.REQUEST_FACTORY) ClientHttpRequestFactory requests,
			ObjectProvider<BlockingLoadBalancerInterceptor> blockingLoadBalancing, BeanFactory beanFactory) {
		ClassLoader classLoader = (beanFactory instanceof ConfigurableListableBeanFactory configurable)
				? configurable.getBeanClassLoader() : null;
		return new ConnectUpstreams(connector, loadBalancing::getIfAvailable, requests,
				BlockingMeshClients.interceptor(classLoader), blockingLoadBalancing::getIfAvailable);
	}

	@Bean
	static BeanPostProcessor connectLoadBalancedWebClientConnector() {
		return new LoadBalancedConnectorPostProcessor();
	}

	/**
	 * Puts the mesh connector on {@code @LoadBalanced WebClient.Builder} beans, and in front of their filters the
	 * one that tells the connector which service each call is meant for.
	 */
	static final class LoadBalancedConnectorPostProcessor implements BeanPostProcessor, BeanFactoryAware {

		private @Nullable ConfigurableListableBeanFactory beanFactory;

		@Override
		public void setBeanFactory(BeanFactory beanFactory) {
			this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
		}

		@Override
		public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
			ConfigurableListableBeanFactory factory = Objects.requireNonNull(this.beanFactory,
					"'beanFactory' must be set before beans are processed");
			if (bean instanceof WebClient.Builder builder && factory.containsBeanDefinition(beanName)
					&& factory.findAnnotationOnBean(beanName, LoadBalanced.class) != null) {
				builder.clientConnector(factory.getBean("connectMeshConnector", ReactorClientHttpConnector.class))
					.filters((filters) -> filters.add(0, ExpectedUpstream.INSTANCE));
			}
			return bean;
		}

	}

}
