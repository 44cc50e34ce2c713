package dev.connect.agent.intentions;

import java.util.List;

import dev.connect.api.MultiError;

/**
 * An intention write that breaks a rule. The message lists every broken rule the way Consul's
 * {@code go-multierror} does, so clients see Consul's text.
 */
public class InvalidIntentionException extends IllegalArgumentException {

	private final List<String> errors;

	InvalidIntentionException(List<String> errors) {
		super(MultiError.format(errors));
		this.errors = List.copyOf(errors);
	}

	InvalidIntentionException(String error) {
		this(List.of(error));
	}

	/**
	 * Returns each broken rule.
	 * @return the messages, in the order found
	 */
	public List<String> errors() {
		return this.errors;
	}

}
