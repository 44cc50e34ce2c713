package dev.connect.autoconfigure.client;

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

	/**
	 * After this service's leaf is renewed or a root is added, the time over which pooled connections made with
	 * the previous material are closed, one by one, so that calls do not all handshake at once. A root that is no
	 * longer trusted closes them at once. Zero closes them at once on every change.
	 */
	private Duration rotationDrainTime = Duration.ofSeconds(5);

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

	public Duration getRotationDrainTime() {
		return this.rotationDrainTime;
	}

	public void setRotationDrainTime(Duration rotationDrainTime) {
		this.rotationDrainTime = rotationDrainTime;
	}

}
