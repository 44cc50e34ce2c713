package dev.connect.autoconfigure;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.env.PropertyResolver;

/**
 * Root settings of Connect for Spring.
 */
@ConfigurationProperties("connect")
public class ConnectProperties {

	/**
	 * Name of this service in the mesh. Defaults to spring.application.name.
	 */
	private @Nullable String service;

	private final Agent agent = new Agent();

	public @Nullable String getService() {
		return this.service;
	}

	public void setService(@Nullable String service) {
		this.service = service;
	}

	public Agent getAgent() {
		return this.agent;
	}

	/**
	 * Returns this service's name: {@code connect.service}, else {@code spring.application.name}.
	 * @param environment the environment
	 * @return the name
	 * @throws IllegalStateException naming both properties when neither is set
	 */
	public String resolveService(PropertyResolver environment) {
		String name = this.service;
		if (name == null || name.isBlank()) {
			name = environment.getProperty("spring.application.name");
		}
		if (name == null || name.isBlank()) {
			throw new IllegalStateException(
					"Connect needs this service's name: set 'connect.service' or 'spring.application.name'");
		}
		return name;
	}

	/**
	 * Where the local Consul agent (or dev agent) is and how to talk to it.
	 */
	public static class Agent {

		/**
		 * Base URL of the agent's HTTP API. Defaults to CONSUL_HTTP_ADDR, else http://127.0.0.1:8500.
		 */
		private @Nullable URI url;

		/**
		 * ACL token sent to the agent. Defaults to CONSUL_HTTP_TOKEN. Never logged.
		 */
		private @Nullable String token;

		/**
		 * File holding the ACL token, read at start-up. Defaults to CONSUL_HTTP_TOKEN_FILE.
		 */
		private @Nullable Path tokenFile;

		/**
		 * PEM file of the CA that signs an HTTPS agent's certificate. Defaults to CONSUL_CACERT.
		 */
		private @Nullable Path caFile;

		/**
		 * How long start-up waits for the first leaf certificate and CA roots.
		 */
		private Duration startupTimeout = Duration.ofSeconds(30);

		/**
		 * How long a non-blocking call to the agent may take.
		 */
		private Duration requestTimeout = Duration.ofSeconds(10);

		public @Nullable URI getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable URI url) {
			this.url = url;
		}

		public @Nullable String getToken() {
			return this.token;
		}

		public void setToken(@Nullable String token) {
			this.token = token;
		}

		public @Nullable Path getTokenFile() {
			return this.tokenFile;
		}

		public void setTokenFile(@Nullable Path tokenFile) {
			this.tokenFile = tokenFile;
		}

		public @Nullable Path getCaFile() {
			return this.caFile;
		}

		public void setCaFile(@Nullable Path caFile) {
			this.caFile = caFile;
		}

		public Duration getStartupTimeout() {
			return this.startupTimeout;
		}

		public void setStartupTimeout(Duration startupTimeout) {
			this.startupTimeout = startupTimeout;
		}

		public Duration getRequestTimeout() {
			return this.requestTimeout;
		}

		public void setRequestTimeout(Duration requestTimeout) {
			this.requestTimeout = requestTimeout;
		}

	}

}
