package dev.connect.authz.l7;

/**
 * A config entry the agent answered cannot be read as Consul defines it. Whatever depends on it is refused.
 */
public class MalformedEntryException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	MalformedEntryException(String message) {
		super(message);
	}

}
