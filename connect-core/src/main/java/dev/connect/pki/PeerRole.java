package dev.connect.pki;

/**
 * The role the peer plays in a mesh connection, which decides the extended key usage its leaf must allow.
 */
public enum PeerRole {

	/** The peer is a client calling us: its leaf must allow {@code clientAuth} when it has an EKU. */
	CLIENT("clientAuth", "1.3.6.1.5.5.7.3.2"),

	/** The peer is a server we call: its leaf must allow {@code serverAuth} when it has an EKU. */
	SERVER("serverAuth", "1.3.6.1.5.5.7.3.1");

	private final String usage;

	private final String oid;

	PeerRole(String usage, String oid) {
		this.usage = usage;
		this.oid = oid;
	}

	/**
	 * Returns the name of the extended key usage of this role, {@code clientAuth} or {@code serverAuth}.
	 * @return the usage name
	 */
	public String usage() {
		return this.usage;
	}

	String oid() {
		return this.oid;
	}

}
