package dev.connect.identity;

/**
 * Thrown when a string is not a valid SPIFFE ID, trust domain or Consul service identity. The message names the
 * offending value and the rule it breaks; {@link #value()} returns the value as given.
 */
public class InvalidIdentityException extends IllegalArgumentException {

	private final String value;

	InvalidIdentityException(String value, String message) {
		super(message);
		this.value = value;
	}

	/**
	 * Returns the rejected input, exactly as given.
	 * @return the rejected value
	 */
	public String value() {
		return this.value;
	}

}
