package dev.connect.agent.ca;

import java.math.BigInteger;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.connect.identity.ServiceIdentity;

/**
 * A service leaf as Consul's built-in CA issues it. Nothing from a request reaches the certificate but the service
 * identity the CA built itself:
 * <ul>
 * <li>the extensions of {@link SvidProfile#leaf}: empty subject, so the single URI SAN (the service's SPIFFE ID) is
 * critical; basic constraints critical, not a CA; key usage critical: digitalSignature, keyEncipherment,
 * dataEncipherment, keyAgreement; extended key usage clientAuth and serverAuth; SKID = SHA-256 of the leaf key,
 * AKID = the signing root's key identifier;</li>
 * <li>valid from one minute before signing for the leaf TTL, but never beyond the root.</li>
 * </ul>
 */
final class LeafTemplate {

	/**
	 * Leaves are backdated so that a peer whose clock is a little behind ours accepts a certificate the moment
	 * it is issued, rather than failing handshakes with "not yet valid" for a few seconds.
	 */
	static final Duration BACKDATE = Duration.ofMinutes(1);

	private LeafTemplate() {
	}

	static X509Certificate sign(ServiceIdentity identity, PublicKey key, BigInteger serial, Instant now, Duration ttl,
			SigningRoot signer, SecureRandom random) {
		X509Certificate root = signer.root().certificate();
		Instant notBefore = now.minus(BACKDATE);
		Instant notAfter = notBefore.plus(ttl);
		if (notAfter.isAfter(root.getNotAfter().toInstant())) {
			notAfter = root.getNotAfter().toInstant();
		}
		return SvidProfile.leaf(root, signer.signingKey(), key, List.of(identity.toString()), serial, notBefore, notAfter,
				random);
	}

}
