package dev.connect.autoconfigure.client;

import java.util.Objects;

import dev.connect.mesh.MeshHttpClients;
import dev.connect.mesh.UpstreamAddressBook;
import dev.connect.tls.CertificateSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.util.ClassUtils;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Outbound mesh calls of the blocking clients: the request factory over the mesh's Reactor Netty client and
 * connection pool ({@code connectMeshRequestFactory}), put on every {@code @LoadBalanced RestClient.Builder} and
 * {@code @LoadBalanced RestTemplate}, and only there, with {@link ExpectedUpstreamInterceptor} first among their
 * interceptors. Plain clients are left untouched.
 */
@Configuration(proxyBeanMethods = false)
class BlockingMeshClients {

	static final String REQUEST_FACTORY = "connectMeshRequestFactory";

	@Bean(REQUEST_FACTORY)
	@ConditionalOnMissingBean(name = REQUEST_FACTORY)
	ClientHttpRequestFactory connectMeshRequestFactory(CertificateSource source, UpstreamAddressBook upstreams,
			@Qualifier("connectMeshConnectionProvider") ConnectionProvider connections) {
		return new MeshClientHttpRequestFactory(MeshHttpClients.secure(HttpClient.create(connections), source, upstreams));
	}

	@Bean
	static BeanPostProcessor connectLoadBalancedBlockingClients() {
		return new LoadBalancedBlockingClientsPostProcessor();
	}

	static ExpectedUpstreamInterceptor interceptor(@Nullable ClassLoader classLoader) {
		// With Spring Retry, Spring Cloud's RetryLoadBalancerInterceptor retries (spring.cloud.loadbalancer.retry.*).
		return new ExpectedUpstreamInterceptor(
				!ClassUtils.isPresent("org.springframework.retry.support.RetryTemplate", classLoader));
	}

	/** Puts the mesh request factory and the expected-upstream interceptor on load-balanced blocking clients. */
	static final class LoadBalancedBlockingClientsPostProcessor implements BeanPostProcessor, BeanFactoryAware {

		private @Nullable ConfigurableListableBeanFactory beanFactory;

		@Override
		public void setBeanFactory(BeanFactory beanFactory) {
			this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
		}

		@Override
		public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
			ConfigurableListableBeanFactory factory = Objects.requireNonNull(this.beanFactory,
					"'beanFactory' must be set before beans are processed");
			if (!(bean instanceof RestClient.Builder || bean instanceof RestTemplate)
					|| !factory.containsBeanDefinition(beanName)
					|| factory.findAnnotationOnBean(beanName, LoadBalanced.class) == null) {
				return bean;
			}
			ClientHttpRequestFactory requests = factory.getBean(REQUEST_FACTORY, ClientHttpRequestFactory.class);
			ExpectedUpstreamInterceptor expected = interceptor(factory.getBeanClassLoader());
			if (bean instanceof RestClient.Builder builder) {
				builder.requestFactory(requests).requestInterceptors((interceptors) -> interceptors.add(0, expected));
			}
			else if (bean instanceof RestTemplate template) {
				template.setRequestFactory(requests);
				template.getInterceptors().add(0, expected);
			}
			return bean;
		}

	}

}
