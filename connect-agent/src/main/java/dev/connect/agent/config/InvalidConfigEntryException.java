package dev.connect.agent.config;

/**
 * A config entry write refused with Consul's text: either the body could not be decoded (Consul answers 400
 * {@code Request decoding failed: ...}) or the entry breaks a rule (a plain error, 500).
 */
public class InvalidConfigEntryException extends IllegalArgumentException {

	private final boolean decoding;

	InvalidConfigEntryException(String message, boolean decoding) {
		super(message);
		this.decoding = decoding;
	}

	static InvalidConfigEntryException decoding(String message) {
		return new InvalidConfigEntryException(message, true);
	}

	static InvalidConfigEntryException invalid(String message) {
		return new InvalidConfigEntryException(message, false);
	}

	/**
	 * Returns whether the body could not be decoded, as opposed to breaking a rule.
	 * @return {@code true} for a decoding failure
	 */
	public boolean decoding() {
		return this.decoding;
	}

}
