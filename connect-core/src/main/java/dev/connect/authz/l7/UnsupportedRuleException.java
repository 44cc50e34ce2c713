package dev.connect.authz.l7;

/**
 * A source's permissions use a matcher this version does not enforce (for example {@code JWT}): the source then
 * denies every request, never allows one.
 */
final class UnsupportedRuleException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String reason;

	UnsupportedRuleException(String reason) {
		super(reason);
		this.reason = reason;
	}

	String reason() {
		return this.reason;
	}

}
