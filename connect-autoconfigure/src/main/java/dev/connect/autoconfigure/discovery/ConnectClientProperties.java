package dev.connect.autoconfigure.discovery;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the mesh client behind the {@code @LoadBalanced WebClient.Builder}.
 */
@ConfigurationProperties("connect.client")
public class ConnectClientProperties {

	/**
	 * The longest a pooled mesh connection is reused; it bounds how long a connection outlives a leaf rotation.
	 */
	private Duration maxConnectionLifetime = Duration.ofMinutes(10);

	/**
	 * How long a pooled mesh connection may stay unused before it is closed.
	 */
	private Duration maxIdleTime = Duration.ofSeconds(60);

	public Duration getMaxConnectionLifetime() {
		return this.maxConnectionLifetime;
	}

	public void setMaxConnectionLifetime(Duration maxConnectionLifetime) {
		this.maxConnectionLifetime = maxConnectionLifetime;
	}

	public Duration getMaxIdleTime() {
		return this.maxIdleTime;
	}

	public void setMaxIdleTime(Duration maxIdleTime) {
		this.maxIdleTime = maxIdleTime;
	}

}
