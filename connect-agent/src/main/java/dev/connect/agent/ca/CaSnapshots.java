package dev.connect.agent.ca;

import java.security.KeyPair;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.connect.identity.TrustDomain;
import dev.connect.pki.Pem;
import org.jspecify.annotations.Nullable;

/**
 * The persistence of a {@link CertificateAuthority}: its state as the {@link CaSnapshot} the data directory keeps,
 * and that snapshot read back, checked to be a whole CA before anything signs with it.
 */
final class CaSnapshots {

	/** Serials the agent's counter can have reached; an imported root's random serial is above. */
	private static final long OWN_SERIALS = 1L << 40;

	private CaSnapshots() {
	}

	/** Captures roots and keys in PEM; the caller holds the CA's monitor so that roots and serial agree. */
	static CaSnapshot capture(UUID clusterId, CaConfig config, List<SigningRoot> roots, long lastSerial,
			ProviderConfig provider) {
		List<CaSnapshot.Root> stored = roots.stream()
			.map((root) -> new CaSnapshot.Root(root.root().rootCertPem(), privateKeyPem(root),
					root.root().intermediatePems(), root.root().active(), root.root().rotatedOutAt()))
			.toList();
		return new CaSnapshot(clusterId, config, stored, lastSerial, provider.provider(), provider.config());
	}

	private static @Nullable String privateKeyPem(SigningRoot root) {
		KeyPair key = root.keyPair();
		return (key != null) ? Pem.encodePkcs8(key.getPrivate()) : null;
	}

	/**
	 * Reads the roots back: every certificate and key parses, each key belongs to its root, every root names the
	 * snapshot's trust domain, and exactly one root is active.
	 * @throws IllegalArgumentException naming what is wrong
	 */
	static List<SigningRoot> roots(CaSnapshot snapshot) {
		TrustDomain trustDomain = TrustDomain.ofCluster(snapshot.clusterId());
		List<SigningRoot> roots = new ArrayList<>();
		for (CaSnapshot.Root stored : snapshot.roots()) {
			roots.add(root(stored, trustDomain));
		}
		long active = roots.stream().filter((root) -> root.root().active()).count();
		if (active != 1) {
			throw new IllegalArgumentException("CA state must have exactly one active root, found " + active);
		}
		return List.copyOf(roots);
	}

	/**
	 * The serial to continue from: never below a serial the roots show, should the stored counter lag. Only the
	 * agent's own small serials count: an imported root's serial is random and would exhaust the counter.
	 */
	static long lastSerial(CaSnapshot snapshot, List<SigningRoot> roots) {
		long maxSerial = roots.stream()
			.mapToLong((root) -> root.root().serialNumber())
			.filter((serial) -> serial >= 0 && serial < OWN_SERIALS)
			.max()
			.orElse(0);
		return Math.max(snapshot.lastSerial(), maxSerial);
	}

	private static SigningRoot root(CaSnapshot.Root stored, TrustDomain trustDomain) {
		X509Certificate certificate = Pem.parseCertificates(stored.certificatePem()).get(0);
		String privateKeyPem = stored.privateKeyPem();
		KeyPair key = (privateKeyPem != null) ? Pem.parseKeyPair(privateKeyPem) : null;
		if (key != null && !key.getPublic().equals(certificate.getPublicKey())) {
			throw new IllegalArgumentException("CA state is inconsistent: the key stored for root '"
					+ certificate.getSubjectX500Principal().getName() + "' does not belong to it");
		}
		requireTrustDomain(certificate, trustDomain);
		List<X509Certificate> intermediates = stored.intermediatePems()
			.stream()
			.map((pem) -> Pem.parseCertificates(pem).get(0))
			.toList();
		return SigningRoot.of(certificate, key, intermediates, stored.active(), stored.rotatedOutAt());
	}

	private static void requireTrustDomain(X509Certificate certificate, TrustDomain trustDomain) {
		String uri = trustDomain.id().toString();
		try {
			boolean named = certificate.getSubjectAlternativeNames() != null && certificate.getSubjectAlternativeNames()
				.stream()
				.anyMatch((name) -> uri.equals(name.get(1)));
			if (!named) {
				throw new IllegalArgumentException("CA state is inconsistent: root '"
						+ certificate.getSubjectX500Principal().getName() + "' is not for trust domain '" + trustDomain
						+ "'");
			}
		}
		catch (CertificateParsingException ex) {
			throw new IllegalArgumentException("CA state holds a root whose names cannot be read", ex);
		}
	}

}
