package dev.connect.client;

import java.net.URI;

import org.jspecify.annotations.Nullable;

/**
 * A failed call to the agent: unreachable, timed out, or answered with an error status. It carries the facts; the
 * message names the call, the agent and what the agent said (never the token).
 */
public class AgentException extends RuntimeException {

	private final int status;

	private AgentException(String message, int status, @Nullable Throwable cause) {
		super(message, cause);
		this.status = status;
	}

	static AgentException status(URI agent, String call, int status, String body) {
		String shown = (body.length() > 300) ? body.substring(0, 300) + "..." : body;
		return new AgentException("Agent at " + agent + " answered " + status + " to " + call + ": " + shown.trim(),
				status, null);
	}

	static AgentException unreachable(URI agent, String call, Throwable cause) {
		return new AgentException("Unable to reach the agent at " + agent + " for " + call + ": " + cause.getMessage(),
				0, cause);
	}

	static AgentException unreadable(URI agent, String call, Throwable cause) {
		return new AgentException(
				"Unable to read the answer of the agent at " + agent + " to " + call + ": " + cause.getMessage(), 0, cause);
	}

	/**
	 * Returns the HTTP status the agent answered, or 0 when it did not answer.
	 * @return the status
	 */
	public int status() {
		return this.status;
	}

	/**
	 * Returns whether the agent answered at all.
	 * @return {@code true} for an error status, {@code false} when unreachable or unreadable
	 */
	public boolean answered() {
		return this.status != 0;
	}

}
