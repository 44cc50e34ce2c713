package dev.connect.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

import dev.connect.identity.SpiffeId;
import dev.connect.pki.PeerRole;
import org.jspecify.annotations.Nullable;

/**
 * A trust manager for mesh connections. For every handshake it reads the current snapshot once and:
 * <ol>
 * <li>validates the peer's chain with the snapshot's {@link dev.connect.pki.SvidValidator} (PKIX to the roots,
 * then the X.509-SVID rules) for the peer's role;</li>
 * <li>requires the peer's SPIFFE ID to be in the snapshot's trust domain;</li>
 * <li>hands the validated ID to a {@link PeerVerifier} (the client side checks it is the service it meant to
 * call).</li>
 * </ol>
 * Without a snapshot every peer is refused: it fails closed. No hostname checks are made: the SPIFFE ID is the
 * identity.
 */
public final class IdentityTrustManager extends X509ExtendedTrustManager {

	static final String FOREIGN_TRUST_DOMAIN = "Peer '%s' is not in this mesh's trust domain '%s'";

	static final String NO_MATERIAL = "No certificate material yet: refusing every peer until the first leaf and roots arrive";

	private final CertificateSource source;

	private final PeerVerifier verifier;

	/**
	 * Creates a trust manager.
	 * @param source the source of roots
	 * @param verifier the check of the validated peer identity, {@link PeerVerifier#none()} for none
	 */
	public IdentityTrustManager(CertificateSource source, PeerVerifier verifier) {
		this.source = source;
		this.verifier = verifier;
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
		check(chain, PeerRole.CLIENT, null);
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
		check(chain, PeerRole.CLIENT, null);
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
			throws CertificateException {
		check(chain, PeerRole.CLIENT, engine);
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
		check(chain, PeerRole.SERVER, null);
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
		check(chain, PeerRole.SERVER, null);
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
			throws CertificateException {
		check(chain, PeerRole.SERVER, engine);
	}

	private void check(X509Certificate[] chain, PeerRole role, @Nullable SSLEngine engine)
			throws CertificateException {
		CertificateSnapshot snapshot = this.source.current();
		if (snapshot == null) {
			throw new CertificateException(NO_MATERIAL);
		}
		SpiffeId id = snapshot.validator().validate((chain != null) ? List.of(chain) : List.of(), role);
		if (!id.isMemberOf(snapshot.trustDomain())) {
			throw new CertificateException(String.format(FOREIGN_TRUST_DOMAIN, id, snapshot.trustDomain()));
		}
		this.verifier.verify(id, role, engine);
	}

	@Override
	public X509Certificate[] getAcceptedIssuers() {
		CertificateSnapshot snapshot = this.source.current();
		return (snapshot != null) ? snapshot.roots().toArray(X509Certificate[]::new) : new X509Certificate[0];
	}

	/**
	 * A check of a validated peer identity, made inside the handshake.
	 */
	@FunctionalInterface
	public interface PeerVerifier {

		/**
		 * Checks a peer.
		 * @param peer the peer's validated SPIFFE ID
		 * @param role the peer's role
		 * @param engine the handshake's engine, or {@code null} for socket and engine-less handshakes
		 * @throws CertificateException to refuse the peer
		 */
		void verify(SpiffeId peer, PeerRole role, @Nullable SSLEngine engine) throws CertificateException;

		/**
		 * Returns a verifier that accepts every validated peer.
		 * @return the verifier
		 */
		static PeerVerifier none() {
			return (peer, role, engine) -> {
			};
		}

	}

}
