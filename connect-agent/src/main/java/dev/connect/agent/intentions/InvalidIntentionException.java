package dev.connect.agent.intentions;

import java.util.List;

/**
 * An intention write that breaks a rule. The message lists every broken rule the way Consul's
 * {@code go-multierror} does, so clients see Consul's text.
 */
public class InvalidIntentionException extends IllegalArgumentException {

	private final List<String> errors;

	InvalidIntentionException(List<String> errors) {
		super(format(errors));
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

	private static String format(List<String> errors) {
		StringBuilder message = new StringBuilder();
		message.append(errors.size()).append((errors.size() == 1) ? " error occurred:\n" : " errors occurred:\n");
		errors.forEach((error) -> message.append("\t* ").append(error).append('\n'));
		return message.append('\n').toString();
	}

}
