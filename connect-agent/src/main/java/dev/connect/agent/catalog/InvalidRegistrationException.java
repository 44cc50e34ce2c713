package dev.connect.agent.catalog;

/**
 * A registration or check update the agent refuses, with Consul's message. Nothing was changed.
 */
public class InvalidRegistrationException extends IllegalArgumentException {

	InvalidRegistrationException(String message) {
		super(message);
	}

}
