package dev.connect.agent.http;

/**
 * An error answered as plain text with a status, the way Consul's {@code HTTPError} is.
 */
final class HttpError extends RuntimeException {

	private final int status;

	HttpError(int status, String message) {
		super(message, null, false, false);
		this.status = status;
	}

	static HttpError badRequest(String message) {
		return new HttpError(400, message);
	}

	static HttpError notFound(String message) {
		return new HttpError(404, message);
	}

	int status() {
		return this.status;
	}

}
