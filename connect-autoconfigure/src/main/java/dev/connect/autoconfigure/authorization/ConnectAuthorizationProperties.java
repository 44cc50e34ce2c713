package dev.connect.autoconfigure.authorization;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Authorization of mesh callers.
 */
@ConfigurationProperties("connect.authorization")
public class ConnectAuthorizationProperties {

	/**
	 * Whether every request on the mesh port is authorized against intentions.
	 */
	private boolean enabled = true;

	/**
	 * How long a cached decision is used without asking the agent again, even when no intention changed.
	 */
	private Duration refresh = Duration.ofMinutes(5);

	/**
	 * How old a cached decision may be and still be used while the agent is unreachable.
	 */
	private Duration maxStale = Duration.ofHours(72);

	/**
	 * How long one authorization call to the agent may take before the request is refused.
	 */
	private Duration timeout = Duration.ofSeconds(2);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getRefresh() {
		return this.refresh;
	}

	public void setRefresh(Duration refresh) {
		this.refresh = refresh;
	}

	public Duration getMaxStale() {
		return this.maxStale;
	}

	public void setMaxStale(Duration maxStale) {
		this.maxStale = maxStale;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

}
