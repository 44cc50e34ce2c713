package dev.connect.authz.l7;

/**
 * What L7 intentions say about one request.
 *
 * @param outcome the outcome
 * @param reason why, for logs and the {@code connect} endpoint: the source and permission that decided, never
 * shown to the caller
 */
public record L7Decision(Outcome outcome, String reason) {

	static final L7Decision L4 = new L7Decision(Outcome.L4, "no L7 source for the caller");

	/** The outcomes. */
	public enum Outcome {

		/** The caller has no L7 source: the agent's L4 decision applies. */
		L4,
		/** Allowed by a permission, or by the default policy. */
		ALLOW,
		/** Denied by a permission, the default policy, or a source this version cannot enforce. */
		DENY,
		/** The request could be read otherwise by the application than by the rules: answered with 400. */
		BAD_REQUEST,
		/** The rules cannot be read (a malformed entry): answered with 503. */
		NO_DECISION

	}

	/**
	 * Whether the request may reach the application.
	 * @return {@code true} only for {@link Outcome#ALLOW}
	 */
	public boolean allowed() {
		return this.outcome == Outcome.ALLOW;
	}

}
