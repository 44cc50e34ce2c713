package dev.connect.agent.ca;

/**
 * Thrown when a leaf signing request exceeds {@link CaConfig#csrMaxPerSecond()} and could not be served within
 * the 500 ms Consul waits. The message is Consul's ({@value #MESSAGE}); the HTTP layer answers 429 with it.
 */
public class RateLimitedException extends RuntimeException {

	/** Consul's message for a rate-limited signing request. */
	public static final String MESSAGE = "Rate limit reached, try again later";

	RateLimitedException() {
		super(MESSAGE);
	}

}
