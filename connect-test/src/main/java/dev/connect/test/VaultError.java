package dev.connect.test;

/** A refusal with Vault's status and message. */
final class VaultError extends RuntimeException {

	private static final long serialVersionUID = 1L;

	final int status;

	VaultError(int status, String message) {
		super(message);
		this.status = status;
	}

}
