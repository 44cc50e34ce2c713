package dev.connect.agent.ca;

import java.security.KeyPair;

/**
 * A root and the key it signs with; the key never leaves this package.
 */
record SigningRoot(RootCertificate root, KeyPair keyPair) {

	SigningRoot rotatedOut(java.time.Instant at) {
		return new SigningRoot(this.root.rotatedOut(at), this.keyPair);
	}

	@Override
	public String toString() {
		return "SigningRoot[" + this.root.id() + "]";
	}

}
