package dev.connect.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

import org.jspecify.annotations.Nullable;

/**
 * A key manager that presents the current snapshot's leaf. The alias names the snapshot's generation, and the
 * chain and key are looked up by that alias, so a handshake that chose its alias before a rotation still gets the
 * chain and key of one and the same generation. The last few generations are remembered for that purpose.
 */
public final class SnapshotKeyManager extends X509ExtendedKeyManager {

	private static final int REMEMBERED = 4;

	private final CertificateSource source;

	private final Map<String, CertificateSnapshot> recent = new ConcurrentHashMap<>();

	/**
	 * Creates a key manager over a source.
	 * @param source the source of snapshots
	 */
	public SnapshotKeyManager(CertificateSource source) {
		this.source = source;
	}

	private @Nullable String currentAlias() {
		CertificateSnapshot snapshot = this.source.current();
		if (snapshot == null) {
			return null;
		}
		if (this.recent.putIfAbsent(snapshot.alias(), snapshot) == null && this.recent.size() > REMEMBERED) {
			long oldest = snapshot.generation() - REMEMBERED;
			this.recent.values().removeIf((old) -> old.generation() <= oldest);
		}
		return snapshot.alias();
	}

	@Override
	public String[] getClientAliases(String keyType, Principal[] issuers) {
		String alias = currentAlias();
		return (alias != null) ? new String[] { alias } : new String[0];
	}

	@Override
	public @Nullable String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
		return currentAlias();
	}

	@Override
	public @Nullable String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
		return currentAlias();
	}

	@Override
	public String[] getServerAliases(String keyType, Principal[] issuers) {
		return getClientAliases(keyType, issuers);
	}

	@Override
	public @Nullable String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
		return currentAlias();
	}

	@Override
	public @Nullable String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
		return currentAlias();
	}

	@Override
	public X509Certificate @Nullable [] getCertificateChain(String alias) {
		CertificateSnapshot snapshot = this.recent.get(alias);
		return (snapshot != null) ? snapshot.chain().toArray(X509Certificate[]::new) : null;
	}

	@Override
	public @Nullable PrivateKey getPrivateKey(String alias) {
		CertificateSnapshot snapshot = this.recent.get(alias);
		return (snapshot != null) ? snapshot.privateKey() : null;
	}

}
