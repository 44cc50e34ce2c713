package dev.connect.autoconfigure.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Set;

import dev.connect.tls.CertificateSnapshot;
import dev.connect.tls.CertificateSource;
import dev.connect.tls.IdentityTrustManager;
import dev.connect.tls.SnapshotKeyManager;
import io.netty.handler.ssl.util.KeyManagerFactoryWrapper;
import io.netty.handler.ssl.util.TrustManagerFactoryWrapper;
import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslBundleRegistry;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslStoreBundle;

/**
 * Registers the SSL bundle {@value #BUNDLE} and updates it on every new snapshot of the certificate source.
 * <ul>
 * <li>Its managers read the source on every handshake (chain and key of one generation; chain validated as an
 * X.509-SVID of this trust domain).</li>
 * <li>Updating the bundle makes the web server build a new SSL context, so a session resumed from before a root
 * change cannot skip the new roots.</li>
 * <li>TLS 1.3 preferred, 1.2 minimum with AEAD suites only.</li>
 * <li>Its stores hold the leaf chain and the roots, so Boot's SSL health, info and {@code ssl.chain.expiry}
 * report the real certificates.</li>
 * </ul>
 */
public final class ConnectSslBundleRegistrar implements SslBundleRegistrar {

	/** The bundle's name. */
	public static final String BUNDLE = "connect";

	static final Set<String> PROTOCOLS = Set.of("TLSv1.3", "TLSv1.2");

	static final Set<String> CIPHERS = Set.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
			"TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
			"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");

	private final CertificateSource source;

	ConnectSslBundleRegistrar(CertificateSource source) {
		this.source = source;
	}

	@Override
	public void registerBundles(SslBundleRegistry registry) {
		CertificateSnapshot snapshot = this.source.current();
		if (snapshot == null) {
			throw new IllegalStateException("Connect has no certificate yet: the SSL bundle 'connect' cannot be made");
		}
		registry.registerBundle(BUNDLE, bundle(snapshot));
		this.source.onChange((next) -> registry.updateBundle(BUNDLE, bundle(next)));
	}

	SslBundle bundle(CertificateSnapshot snapshot) {
		SslManagerBundle managers = SslManagerBundle.of(
				new KeyManagerFactoryWrapper(new SnapshotKeyManager(this.source)),
				new TrustManagerFactoryWrapper(
						new IdentityTrustManager(this.source, IdentityTrustManager.PeerVerifier.none())));
		SslOptions options = SslOptions.of(CIPHERS, PROTOCOLS);
		return SslBundle.of(stores(snapshot), SslBundleKey.of("", snapshot.alias()), options, "TLS", managers);
	}

	/** Real stores of the snapshot, for Boot's SSL health and metrics; the managers above do the TLS work. */
	private static SslStoreBundle stores(CertificateSnapshot snapshot) {
		try {
			KeyStore keyStore = KeyStore.getInstance("PKCS12");
			keyStore.load(null, null);
			keyStore.setKeyEntry(snapshot.alias(), snapshot.privateKey(), new char[0],
					snapshot.chain().toArray(X509Certificate[]::new));
			KeyStore trustStore = KeyStore.getInstance("PKCS12");
			trustStore.load(null, null);
			for (int i = 0; i < snapshot.roots().size(); i++) {
				trustStore.setCertificateEntry("root-" + i, snapshot.roots().get(i));
			}
			return SslStoreBundle.of(keyStore, "", trustStore);
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalStateException("Unable to build the key and trust stores of the SSL bundle 'connect'", ex);
		}
	}

}
