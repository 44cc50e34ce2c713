package dev.connect.autoconfigure.registration;

import java.util.List;

import dev.connect.autoconfigure.ConnectAutoConfiguration;
import dev.connect.autoconfigure.ConnectProperties;
import dev.connect.autoconfigure.UnsecurableServiceException;
import dev.connect.client.AgentClient;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;

/**
 * Registers an application annotated with {@link ConnectService} with the agent.
 */
@AutoConfiguration(after = ConnectAutoConfiguration.class)
@ConditionalOnBean(AgentClient.class)
@ConditionalOnProperty(prefix = "connect.registration", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(ConnectRegistrationProperties.class)
public final class ConnectRegistrationAutoConfiguration {

	ConnectRegistrationAutoConfiguration() {
	}

	@Bean
	static ConnectServiceGuard connectServiceGuard(ApplicationContext context, ConnectProperties connect) {
		return new ConnectServiceGuard(context, connect);
	}

	@Bean
	SmartLifecycle connectServiceRegistration(ApplicationContext context, ObjectProvider<AgentClient> client,
			ConnectProperties connect, ConnectRegistrationProperties properties) {
		return new LazyRegistration(context, client, connect, properties);
	}

	/**
	 * Finds the {@link ConnectService} annotation and the bound port when the context starts, then registers.
	 */
	static final class LazyRegistration implements SmartLifecycle {

		private final ApplicationContext context;

		private final ObjectProvider<AgentClient> client;

		private final ConnectProperties connect;

		private final ConnectRegistrationProperties properties;

		private volatile @Nullable ConnectServiceRegistrar registrar;

		LazyRegistration(ApplicationContext context, ObjectProvider<AgentClient> client, ConnectProperties connect,
				ConnectRegistrationProperties properties) {
			this.context = context;
			this.client = client;
			this.connect = connect;
			this.properties = properties;
		}

		@Override
		public void start() {
			ConnectService annotation = ConnectServiceGuard.find(this.context);
			if (annotation == null) {
				return;
			}
			// The guard has refused a name that is not the identity: the registration is the identity.
			String name = this.connect.resolveService(this.context.getEnvironment());
			int port = (annotation.port() > 0) ? annotation.port()
					: Integer.parseInt(this.context.getEnvironment().getProperty("local.server.port", "0"));
			if (port <= 0) {
				throw UnsecurableServiceException.noPort(name);
			}
			ConnectServiceRegistrar.ServiceSpec spec = new ConnectServiceRegistrar.ServiceSpec(name,
					List.of(annotation.tags()), ConnectServiceRegistrar.ServiceSpec.meta(annotation.meta()), port);
			ObjectProvider<ApplicationAvailability> availability = this.context.getBeanProvider(ApplicationAvailability.class);
			ConnectServiceRegistrar started = new ConnectServiceRegistrar(this.client.getObject(), this.properties, spec,
					() -> {
						ApplicationAvailability current = availability.getIfAvailable();
						return current == null || current.getReadinessState() != ReadinessState.REFUSING_TRAFFIC;
					});
			this.registrar = started;
			started.start();
		}

		@Override
		public void stop() {
			ConnectServiceRegistrar current = this.registrar;
			if (current != null) {
				current.stop();
				this.registrar = null;
			}
		}

		@Override
		public boolean isRunning() {
			return this.registrar != null;
		}

		@Override
		public int getPhase() {
			return Integer.MAX_VALUE;
		}

		@Nullable ConnectServiceRegistrar registrar() {
			return this.registrar;
		}

	}

}
