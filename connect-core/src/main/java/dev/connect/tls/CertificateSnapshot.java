package dev.connect.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import dev.connect.identity.ServiceIdentity;
import dev.connect.identity.TrustDomain;
import dev.connect.pki.SvidValidator;

/**
 * The TLS material of a service at one instant: its leaf chain and key, the roots it trusts (with their validator)
 * and the trust domain, published together so that a handshake never pairs a chain and a key, or a leaf and
 * roots, from two generations. Its {@link #toString()} never shows the key.
 *
 * @param generation increases with every new snapshot of a source; key managers use it as the alias
 * @param identity the service identity in the leaf
 * @param chain the leaf first, then the intermediates it presents
 * @param privateKey the leaf's key
 * @param roots the trusted roots
 * @param trustDomain the trust domain of the roots
 * @param validator the validator for these roots
 */
public record CertificateSnapshot(long generation, ServiceIdentity identity, List<X509Certificate> chain,
		PrivateKey privateKey, List<X509Certificate> roots, TrustDomain trustDomain, SvidValidator validator) {

	public CertificateSnapshot {
		Objects.requireNonNull(identity, "'identity' must not be null");
		Objects.requireNonNull(privateKey, "'privateKey' must not be null");
		chain = List.copyOf(chain);
		roots = List.copyOf(roots);
		if (chain.isEmpty()) {
			throw new IllegalArgumentException("Certificate snapshot of '" + identity + "' must have a leaf");
		}
	}

	/**
	 * Returns the leaf certificate.
	 * @return the leaf
	 */
	public X509Certificate leaf() {
		return this.chain.get(0);
	}

	/**
	 * Returns when the leaf expires.
	 * @return the leaf's not-after instant
	 */
	public Instant validBefore() {
		return leaf().getNotAfter().toInstant();
	}

	/**
	 * Returns the key manager alias of this snapshot.
	 * @return {@code connect-<generation>}
	 */
	public String alias() {
		return "connect-" + this.generation;
	}

	@Override
	public String toString() {
		return "CertificateSnapshot[generation=" + this.generation + ", identity=" + this.identity + ", serial="
				+ leaf().getSerialNumber().toString(16) + ", validBefore=" + validBefore() + ", roots=" + this.roots.size()
				+ "]";
	}

}
