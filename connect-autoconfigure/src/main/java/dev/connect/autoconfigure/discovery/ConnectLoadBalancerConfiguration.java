package dev.connect.autoconfigure.discovery;

import dev.connect.client.AgentClient;
import dev.connect.tls.UpstreamAddressBook;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.loadbalancer.core.RetryAwareServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The default LoadBalancer configuration of every upstream: instances from the agent's health watch. A user's own
 * {@code ServiceInstanceListSupplier} (or {@code @LoadBalancerClient} configuration) wins.
 */
@Configuration(proxyBeanMethods = false)
public class ConnectLoadBalancerConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ServiceInstanceListSupplier connectServiceInstanceListSupplier(Environment environment, AgentClient client,
			UpstreamAddressBook upstreams) {
		String serviceId = environment.getRequiredProperty(LoadBalancerClientFactory.PROPERTY_NAME);
		// Retry-aware: when a call is retried, the instance that just failed is left out if another one is healthy.
		return new RetryAwareServiceInstanceListSupplier(
				new ConnectServiceInstanceListSupplier(serviceId, client, upstreams));
	}

}
