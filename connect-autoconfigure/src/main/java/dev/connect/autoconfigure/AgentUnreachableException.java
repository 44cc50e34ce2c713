package dev.connect.autoconfigure;

import java.net.URI;
import java.time.Duration;

/**
 * Start-up could not get this service's first leaf certificate and CA roots from the agent in time.
 */
public class AgentUnreachableException extends IllegalStateException {

	private final URI agent;

	private final String service;

	AgentUnreachableException(URI agent, String service, Duration timeout, String reason) {
		super("Connect could not get a certificate for service '" + service + "' from the agent at " + agent
				+ " within " + timeout + ": " + reason);
		this.agent = agent;
		this.service = service;
	}

	/**
	 * Returns the agent address that was tried.
	 * @return the address
	 */
	public URI agent() {
		return this.agent;
	}

	/**
	 * Returns the service whose certificate was asked for.
	 * @return the service name
	 */
	public String service() {
		return this.service;
	}

}
