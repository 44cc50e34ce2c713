package dev.connect.autoconfigure.registration;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Registration of the application with the agent.
 */
@ConfigurationProperties("connect.registration")
public class ConnectRegistrationProperties {

	private static final Duration MAX_DEREGISTRATION_DELAY = Duration.ofSeconds(20);

	/**
	 * Whether an application annotated with @ConnectService registers with the agent.
	 */
	private boolean enabled = true;

	/**
	 * Address other services use to reach this instance. Empty means the agent's node address.
	 */
	private @Nullable String address;

	/**
	 * TTL of the instance's check; the application reports in at a third of it.
	 */
	private Duration ttl = Duration.ofSeconds(15);

	/**
	 * How long the check may stay critical before the agent removes the instance.
	 */
	private Duration deregisterCriticalServiceAfter = Duration.ofMinutes(1);

	/**
	 * How long the application keeps serving after it deregistered on shutdown, before the web server stops, so that
	 * callers learn it left and stop sending it requests. Zero stops at once.
	 */
	private Duration deregistrationDelay = Duration.ofSeconds(1);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getAddress() {
		return this.address;
	}

	public void setAddress(@Nullable String address) {
		this.address = address;
	}

	public Duration getTtl() {
		return this.ttl;
	}

	public void setTtl(Duration ttl) {
		this.ttl = ttl;
	}

	public Duration getDeregisterCriticalServiceAfter() {
		return this.deregisterCriticalServiceAfter;
	}

	public void setDeregisterCriticalServiceAfter(Duration deregisterCriticalServiceAfter) {
		this.deregisterCriticalServiceAfter = deregisterCriticalServiceAfter;
	}

	public Duration getDeregistrationDelay() {
		return this.deregistrationDelay;
	}

	public void setDeregistrationDelay(Duration deregistrationDelay) {
		if (deregistrationDelay.isNegative() || deregistrationDelay.compareTo(MAX_DEREGISTRATION_DELAY) > 0) {
			throw new IllegalArgumentException("connect.registration.deregistration-delay '" + deregistrationDelay
					+ "' must be between 0 and " + MAX_DEREGISTRATION_DELAY.toSeconds()
					+ "s (Spring's default shutdown phase timeout is 30s)");
		}
		this.deregistrationDelay = deregistrationDelay;
	}

}
