package dev.connect.pki;

import java.security.cert.CertificateException;

/**
 * Thrown when a peer's certificate chain is not a valid X.509-SVID for this mesh. It is a
 * {@link CertificateException} so that trust managers can let it through unchanged; the message says which
 * certificate broke which rule.
 */
public class InvalidSvidException extends CertificateException {

	InvalidSvidException(String message) {
		super(message);
	}

	InvalidSvidException(String message, Throwable cause) {
		super(message, cause);
	}

}
