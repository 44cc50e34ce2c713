package dev.connect.autoconfigure;

import java.net.URI;
import java.time.Clock;
import java.util.Map;

import dev.connect.client.AgentCertificateSource;
import dev.connect.client.AgentClient;
import dev.connect.client.AgentClientSettings;
import dev.connect.tls.CertificateSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The agent client and this service's certificate source. Start-up waits for the first leaf and roots
 * ({@code connect.agent.startup-timeout}); without them the application does not start.
 */
@AutoConfiguration
@EnableConfigurationProperties(ConnectProperties.class)
public final class ConnectAutoConfiguration {

	ConnectAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	AgentClient connectAgentClient(ConnectProperties properties, Environment environment) {
		return AgentClient.create(settings(properties.getAgent(), environment));
	}

	@Bean(destroyMethod = "dispose")
	@ConditionalOnMissingBean(CertificateSource.class)
	AgentCertificateSource connectCertificateSource(AgentClient client, ConnectProperties properties,
			Environment environment) {
		String service = properties.resolveService(environment);
		AgentCertificateSource source = AgentCertificateSource.start(client, service, Clock.systemUTC());
		try {
			StartupWait.until(source, client.settings().address(), service, properties.getAgent().getStartupTimeout());
		}
		catch (RuntimeException ex) {
			source.dispose();
			String reason = (source.lastProblem() != null) ? source.lastProblem()
					: "no valid leaf and roots arrived (" + ex.getClass().getSimpleName() + ")";
			throw new AgentUnreachableException(client.settings().address(), service,
					properties.getAgent().getStartupTimeout(), reason);
		}
		return source;
	}

	/** Properties first, then Consul's standard environment variables. */
	static AgentClientSettings settings(ConnectProperties.Agent agent, Environment environment) {
		AgentClientSettings fromEnvironment = AgentClientSettings.fromEnvironment(Map.of(
				"CONSUL_HTTP_ADDR", environment.getProperty("CONSUL_HTTP_ADDR", ""),
				"CONSUL_HTTP_TOKEN", environment.getProperty("CONSUL_HTTP_TOKEN", ""),
				"CONSUL_HTTP_TOKEN_FILE", environment.getProperty("CONSUL_HTTP_TOKEN_FILE", ""),
				"CONSUL_CACERT", environment.getProperty("CONSUL_CACERT", "")));
		URI address = (agent.getUrl() != null) ? agent.getUrl() : fromEnvironment.address();
		String token = agent.getToken();
		if ((token == null || token.isBlank()) && agent.getTokenFile() != null) {
			token = AgentClientSettings.readToken(agent.getTokenFile());
		}
		if (token == null || token.isBlank()) {
			token = fromEnvironment.token();
		}
		return new AgentClientSettings(address, token, agent.getRequestTimeout(),
				(agent.getCaFile() != null) ? agent.getCaFile() : fromEnvironment.caFile());
	}

}
