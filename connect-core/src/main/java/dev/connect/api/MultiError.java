package dev.connect.api;

import java.util.List;

/**
 * The text of HashiCorp's {@code go-multierror}, which Consul returns for validation failures:
 * {@code "1 error occurred:\n\t* <error>\n\n"}.
 */
public final class MultiError {

	private MultiError() {
	}

	/**
	 * Formats errors the way {@code go-multierror} does.
	 * @param errors one or more error messages
	 * @return the text
	 */
	public static String format(List<String> errors) {
		StringBuilder message = new StringBuilder();
		message.append(errors.size()).append((errors.size() == 1) ? " error occurred:\n" : " errors occurred:\n");
		errors.forEach((error) -> message.append("\t* ").append(error).append('\n'));
		return message.append('\n').toString();
	}

}
