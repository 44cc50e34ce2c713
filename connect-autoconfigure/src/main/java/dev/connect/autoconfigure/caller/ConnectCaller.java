package dev.connect.autoconfigure.caller;

/**
 * Where an application finds the mesh service that made the current request, without reading certificates.
 * <p>
 * The authorization filter sets the {@link #ATTRIBUTE} to the caller's {@link dev.connect.identity.ServiceIdentity}
 * after the caller's certificate was validated in the TLS handshake and an intention allowed it, and only then. It is
 * absent on a request that did not go through that check: one on another port (a separate management port) or
 * with {@code connect.authorization.enabled=false}. A handler can also declare a {@code ServiceIdentity} parameter,
 * and with Spring Security the caller is the {@link ConnectCallerAuthentication} of the request.
 */
public final class ConnectCaller {

	/**
	 * The name of the exchange (request) attribute holding the caller's {@code ServiceIdentity}:
	 * {@code exchange.getAttribute(ConnectCaller.ATTRIBUTE)}.
	 */
	public static final String ATTRIBUTE = "dev.connect.caller";

	private ConnectCaller() {
	}

}
