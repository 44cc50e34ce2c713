package dev.connect.autoconfigure.discovery;

import dev.connect.autoconfigure.ConnectAutoConfiguration;
import dev.connect.tls.CertificateSource;
import dev.connect.tls.MeshHttpClients;
import dev.connect.tls.UpstreamAddressBook;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

/**
 * Outbound mesh calls: upstream instances from the agent (the default LoadBalancer configuration) and the mesh
 * connector on every {@code @LoadBalanced WebClient.Builder}, and only there, so WebClients for other hosts are
 * untouched. The connector is also a bean ({@code connectMeshConnector}) for hand-built clients.
 */
@AutoConfiguration(after = ConnectAutoConfiguration.class)
@ConditionalOnClass({ ServiceInstanceListSupplier.class, WebClient.class })
@ConditionalOnBean(CertificateSource.class)
@LoadBalancerClients(defaultConfiguration = ConnectLoadBalancerConfiguration.class)
public final class ConnectDiscoveryAutoConfiguration {

	ConnectDiscoveryAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	UpstreamAddressBook connectUpstreamAddressBook() {
		return new UpstreamAddressBook();
	}

	@Bean
	@ConditionalOnMissingBean(name = "connectMeshConnector")
	ReactorClientHttpConnector connectMeshConnector(CertificateSource source, UpstreamAddressBook upstreams) {
		return new ReactorClientHttpConnector(MeshHttpClients.secure(HttpClient.create(), source, upstreams));
	}

	@Bean
	static BeanPostProcessor connectLoadBalancedWebClientConnector() {
		return new LoadBalancedConnectorPostProcessor();
	}

	/** Puts the mesh connector on {@code @LoadBalanced WebClient.Builder} beans. */
	static final class LoadBalancedConnectorPostProcessor implements BeanPostProcessor, BeanFactoryAware {

		private ConfigurableListableBeanFactory beanFactory;

		@Override
		public void setBeanFactory(BeanFactory beanFactory) {
			this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
		}

		@Override
		public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
			if (bean instanceof WebClient.Builder builder && this.beanFactory.containsBeanDefinition(beanName)
					&& this.beanFactory.findAnnotationOnBean(beanName, LoadBalanced.class) != null) {
				builder.clientConnector(this.beanFactory.getBean("connectMeshConnector", ReactorClientHttpConnector.class));
			}
			return bean;
		}

	}

}
