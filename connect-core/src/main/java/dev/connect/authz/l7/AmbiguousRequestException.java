package dev.connect.authz.l7;

/**
 * A request that L7 rules cannot match safely: the application could read its path or headers otherwise than the
 * rules would. It is answered with 400 and never reaches the application.
 */
final class AmbiguousRequestException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String reason;

	AmbiguousRequestException(String reason) {
		super(reason, null, false, false);
		this.reason = reason;
	}

	/**
	 * What makes the request ambiguous, as the message.
	 * @return the reason
	 */
	String reason() {
		return this.reason;
	}

}
