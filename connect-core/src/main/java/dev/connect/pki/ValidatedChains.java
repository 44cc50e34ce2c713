package dev.connect.pki;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.connect.identity.SpiffeId;
import org.jspecify.annotations.Nullable;

/**
 * The chains one {@link SvidValidator} has accepted, so that a peer's repeated handshakes with the same chain skip
 * PKIX path building and the SVID rules. The rules:
 * <ol>
 * <li>only an accepted chain is remembered, keyed by the exact presented certificates (equal when their DER bytes
 * are) and the peer's role; a refused chain is never remembered, so every refusal runs every rule again;</li>
 * <li>a remembered chain answers only while every certificate of its validated path (the leaf and each
 * intermediate, the anchor excluded as PKIX excludes it) is within its validity period at the instant asked; the
 * rest of what the validation decided (signatures, names, key usages, path length, the roots) does not depend on
 * time or is fixed for the validator's roots;</li>
 * <li>otherwise the caller validates in full, which gives exactly the answer of an uncached validation.</li>
 * </ol>
 * One instance belongs to one validator, so a new trust bundle (a new validator) never answers from an old one's
 * results. Bounded: least recently used chains are evicted first.
 */
final class ValidatedChains {

	static final int MAXIMUM_SIZE = 1024;

	private final Cache<Key, Accepted> accepted;

	ValidatedChains() {
		this(MAXIMUM_SIZE);
	}

	ValidatedChains(int maximumSize) {
		this.accepted = Caffeine.newBuilder().maximumSize(maximumSize).executor(Runnable::run).build();
	}

	/**
	 * Returns the SPIFFE ID of a chain accepted before for this role, if its validated path is still within every
	 * validity period at {@code now}.
	 */
	@Nullable SpiffeId lookup(List<X509Certificate> chain, PeerRole role, Instant now) {
		Accepted known = this.accepted.getIfPresent(new Key(chain, role));
		return (known != null && known.validAt(now)) ? known.id() : null;
	}

	/**
	 * Remembers a chain that passed every rule, with the certificates of its validated path.
	 */
	void remember(List<X509Certificate> chain, PeerRole role, SpiffeId id, List<X509Certificate> path) {
		this.accepted.put(new Key(List.copyOf(chain), role), new Accepted(id, List.copyOf(path)));
	}

	long size() {
		this.accepted.cleanUp();
		return this.accepted.estimatedSize();
	}

	/**
	 * A presented chain and role. {@link java.security.cert.Certificate#equals} compares the DER encodings.
	 */
	private record Key(List<X509Certificate> chain, PeerRole role) {
	}

	private record Accepted(SpiffeId id, List<X509Certificate> path) {

		boolean validAt(Instant now) {
			for (X509Certificate certificate : this.path) {
				if (now.isAfter(certificate.getNotAfter().toInstant())
						|| now.isBefore(certificate.getNotBefore().toInstant())) {
					return false;
				}
			}
			return true;
		}

	}

}
