package dev.connect.client;

/**
 * An agent answer that arrived but was refused by a check of its own (a root that is not a CA, a leaf whose key
 * is not its own): the watch that read it treats it as a failed call and keeps its last index.
 */
final class RefusedAnswerException extends IllegalArgumentException {

	RefusedAnswerException(String message, Throwable cause) {
		super(message, cause);
	}

}
