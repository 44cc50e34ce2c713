package dev.connect.agent.http;

/**
 * An error answered as plain text with a status, the way Consul's {@code HTTPError} is.
 */
final class HttpError extends RuntimeException {

	private final int status;

	private final String reason;

	HttpError(int status, String message) {
		super(message, null, false, false);
		this.status = status;
		this.reason = message;
	}

	static HttpError badRequest(String message) {
		return new HttpError(400, message);
	}

	/**
	 * Consul's {@code BadRequestError}, whose text it prefixes with {@code Bad request: } (unlike an
	 * {@code HTTPError} with status 400, answered as {@link #badRequest}).
	 */
	static HttpError badRequestError(String reason) {
		return new HttpError(400, "Bad request: " + reason);
	}

	static HttpError notFound(String message) {
		return new HttpError(404, message);
	}

	/**
	 * Answers with the message of a refusal from the layer below; an exception without a message is named by its
	 * class, so the answer never reads {@code null}.
	 */
	static HttpError of(int status, Throwable refusal) {
		return new HttpError(status, reasonOf(refusal));
	}

	static String reasonOf(Throwable error) {
		String message = error.getMessage();
		return (message != null) ? message : error.getClass().getName();
	}

	int status() {
		return this.status;
	}

	/**
	 * Returns the answer's text.
	 * @return the message this error was made with, never {@code null}
	 */
	String reason() {
		return this.reason;
	}

}
