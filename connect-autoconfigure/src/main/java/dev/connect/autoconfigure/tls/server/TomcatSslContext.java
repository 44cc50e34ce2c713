package dev.connect.autoconfigure.tls.server;

import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.ssl.SslBundle;

/**
 * One generation of the bundle {@code connect} as Tomcat's SSL context: a JSSE context initialized with the bundle's
 * own key and trust managers (which read the certificate source on every handshake), with its own session cache.
 */
final class TomcatSslContext implements org.apache.tomcat.util.net.SSLContext {

	private final javax.net.ssl.SSLContext context;

	private final SslBundle bundle;

	TomcatSslContext(SslBundle bundle) {
		this.bundle = bundle;
		this.context = bundle.createSslContext();
	}

	@Override
	public void init(KeyManager[] keyManagers, TrustManager[] trustManagers, @Nullable SecureRandom random) {
		// Already initialized with the bundle's managers; Tomcat does not initialize a context it was given.
	}

	@Override
	public void destroy() {
	}

	@Override
	public SSLSessionContext getServerSessionContext() {
		return this.context.getServerSessionContext();
	}

	@Override
	public SSLEngine createSSLEngine() {
		return this.context.createSSLEngine();
	}

	@Override
	public SSLServerSocketFactory getServerSocketFactory() {
		return this.context.getServerSocketFactory();
	}

	@Override
	public SSLParameters getSupportedSSLParameters() {
		return this.context.getSupportedSSLParameters();
	}

	@Override
	public X509Certificate @Nullable [] getCertificateChain(String alias) {
		KeyStore keyStore = this.bundle.getStores().getKeyStore();
		String key = this.bundle.getKey().getAlias();
		try {
			Certificate[] chain = (keyStore != null && key != null) ? keyStore.getCertificateChain(key) : null;
			if (chain == null) {
				return null;
			}
			X509Certificate[] certificates = new X509Certificate[chain.length];
			for (int i = 0; i < chain.length; i++) {
				certificates[i] = (X509Certificate) chain[i];
			}
			return certificates;
		}
		catch (KeyStoreException ex) {
			return null;
		}
	}

	@Override
	public X509Certificate[] getAcceptedIssuers() {
		for (TrustManager manager : this.bundle.getManagers().getTrustManagers()) {
			if (manager instanceof X509TrustManager x509) {
				return x509.getAcceptedIssuers();
			}
		}
		return new X509Certificate[0];
	}

}
