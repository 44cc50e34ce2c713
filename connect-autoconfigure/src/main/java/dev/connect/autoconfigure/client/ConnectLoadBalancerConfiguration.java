package dev.connect.autoconfigure.client;

import dev.connect.client.AgentClient;
import dev.connect.mesh.UpstreamAddressBook;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.loadbalancer.core.RetryAwareServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The default LoadBalancer configuration of every upstream: instances from the agent's health watch. A user's own
 * {@code ServiceInstanceListSupplier} (or {@code @LoadBalancerClient} configuration) wins; to refine the agent's
 * instances rather than replace them, build on {@link #agentInstances(ApplicationContext)}. Whichever supplier
 * lists them, instances the agent did not report for the service being called are left out, and the mesh connector
 * refuses a server that is not the service the agent reported at its address.
 */
@Configuration(proxyBeanMethods = false)
public class ConnectLoadBalancerConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ServiceInstanceListSupplier connectServiceInstanceListSupplier(ApplicationContext context) {
		// Retry-aware: when a call is retried, the instance that just failed is left out if another one is healthy.
		return new RetryAwareServiceInstanceListSupplier(agentInstances(context));
	}

	/**
	 * Whoever supplies an upstream's instances, only those the agent reported for that upstream are called.
	 * @param upstreams what the agent reported
	 * @return the post-processor
	 */
	@Bean
	static BeanPostProcessor connectAgentReportedInstances(ObjectProvider<UpstreamAddressBook> upstreams) {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				return (bean instanceof ServiceInstanceListSupplier supplier && !(bean instanceof AgentReportedInstances))
						? new AgentReportedInstances(supplier, upstreams.getObject()) : bean;
			}

		};
	}

	/**
	 * Returns the instances of the upstream a LoadBalancer client context is for, pushed by a blocking watch on
	 * {@code /v1/health/connect/<service>?passing}, for a user's own supplier to build on, for example
	 * {@code ServiceInstanceListSupplier.builder().withBase(agentInstances(context)).withZonePreference().build(context)}.
	 * Its watch stops when the supplier is destroyed with the client context.
	 * @param context the LoadBalancer client context (the one a {@code @LoadBalancerClient} configuration's beans
	 * are created in)
	 * @return a new supplier
	 */
	public static ServiceInstanceListSupplier agentInstances(ApplicationContext context) {
		String serviceId = context.getEnvironment().getRequiredProperty(LoadBalancerClientFactory.PROPERTY_NAME);
		return new ConnectServiceInstanceListSupplier(serviceId, context.getBean(AgentClient.class),
				context.getBean(UpstreamAddressBook.class));
	}

}
