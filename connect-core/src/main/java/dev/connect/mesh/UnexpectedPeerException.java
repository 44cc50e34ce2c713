package dev.connect.mesh;

import java.util.Objects;

import dev.connect.identity.SpiffeId;
import org.jspecify.annotations.Nullable;

/**
 * A mesh request was meant for one service, but the connection it was about to go out on had proved another (or
 * nothing readable), or its server's leaf has expired since the connection's handshake. Thrown before any byte of the
 * request is written, so the request can be sent elsewhere.
 */
public final class UnexpectedPeerException extends RuntimeException {

	static final String MISMATCH = "Expected service '%s' at %s, but the server presented '%s'";

	private final String expected;

	private final @Nullable SpiffeId presented;

	private UnexpectedPeerException(String message, String expected, @Nullable SpiffeId presented) {
		super(message);
		this.expected = expected;
		this.presented = presented;
	}

	static UnexpectedPeerException create(String expected, String address, @Nullable SpiffeId presented) {
		Objects.requireNonNull(expected, "'expected' must not be null");
		String message = (presented != null)
				? String.format(MISMATCH, expected, address, presented)
				: "Expected service '" + expected + "' at " + address + ", but the connection proved no service identity";
		return new UnexpectedPeerException(message, expected, presented);
	}

	static UnexpectedPeerException noLongerValid(String expected, String address, SpiffeId presented, String why) {
		return new UnexpectedPeerException("Expected service '" + expected + "' at " + address + ": the server presented '"
				+ presented + "', but its certificate is no longer valid (a resumed TLS session or a kept-alive "
				+ "connection): " + why, expected, presented);
	}

	/**
	 * Returns the service the request was meant for.
	 * @return the service name
	 */
	public String expected() {
		return this.expected;
	}

	/**
	 * Returns the identity the connection's server proved.
	 * @return the SPIFFE ID, or {@code null} when none could be read
	 */
	public @Nullable SpiffeId presented() {
		return this.presented;
	}

}
