package dev.connect.autoconfigure.tls.server;

import java.util.ArrayList;
import java.util.List;

import dev.connect.autoconfigure.tls.ConnectSslBundleRegistrar;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.ProtocolHandler;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.net.jsse.JSSEImplementation;
import org.apache.tomcat.util.net.openssl.ciphers.OpenSSLCipherConfigurationParser;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;

/**
 * Mutual TLS on a Tomcat connector from the bundle {@code connect}. Boot's own Tomcat SSL support reads only the
 * bundle's key and trust stores, which would let Tomcat's PKIX trust manager decide; this hands Tomcat an SSL
 * context built from the bundle's managers instead, so the SPIFFE checks of the reactive server apply unchanged.
 * Each update of the bundle replaces the connector's host configuration with a new SSL context: handshakes after it
 * use the new material, and no TLS session from before it can be resumed.
 */
final class TomcatMeshTls implements TomcatConnectorCustomizer {

	static final String NOT_HTTP11 = "Unable to serve mutual TLS on Tomcat's connector: its protocol handler is %s, "
			+ "not an HTTP/1.1 protocol (AbstractHttp11Protocol)";

	static final String MAX_KEEP_ALIVE_REQUESTS = "server.tomcat.max-keep-alive-requests";

	private final SslBundles bundles;

	private final ConnectServerTlsProperties properties;

	private final boolean keepAliveLimitSet;

	TomcatMeshTls(SslBundles bundles, ConnectServerTlsProperties properties, boolean keepAliveLimitSet) {
		this.bundles = bundles;
		this.properties = properties;
		this.keepAliveLimitSet = keepAliveLimitSet;
	}

	@Override
	public void customize(Connector connector) {
		ProtocolHandler handler = connector.getProtocolHandler();
		if (!(handler instanceof AbstractHttp11Protocol<?> protocol)) {
			throw new IllegalStateException(String.format(NOT_HTTP11, handler.getClass().getName()));
		}
		protocol.setSSLEnabled(true);
		protocol.setSslImplementationName(JSSEImplementation.class.getName());
		// Tomcat's connection timeout bounds the silence while it reads the handshake (and a request's first line);
		// the keep-alive timeout bounds a connection waiting for its next request.
		protocol.setConnectionTimeout(millis(this.properties.getHandshakeTimeout().toMillis()));
		protocol.setKeepAliveTimeout(millis(this.properties.getIdleTimeout().toMillis()));
		if (!this.keepAliveLimitSet) {
			// As on Reactor Netty: no request limit per connection, whose every new one costs a mutual-TLS handshake;
			// the idle timeout and the clients' connection lifetime bound how long one lives.
			protocol.setMaxKeepAliveRequests(-1);
		}
		protocol.addSslHostConfig(hostConfig(protocol, this.bundles.getBundle(ConnectSslBundleRegistrar.BUNDLE)));
		this.bundles.addBundleUpdateHandler(ConnectSslBundleRegistrar.BUNDLE,
				(bundle) -> protocol.addSslHostConfig(hostConfig(protocol, bundle), true));
		connector.setScheme("https");
		connector.setSecure(true);
	}

	private static int millis(long millis) {
		return (int) Math.min(Integer.MAX_VALUE, Math.max(1, millis));
	}

	static SSLHostConfig hostConfig(AbstractHttp11Protocol<?> protocol, SslBundle bundle) {
		SSLHostConfig config = new SSLHostConfig();
		config.setHostName(protocol.getDefaultSSLHostConfigName());
		config.setCertificateVerification("required");
		config.setSslProtocol(bundle.getProtocol());
		String[] protocols = bundle.getOptions().getEnabledProtocols();
		if (protocols != null) {
			config.setProtocols(String.join("+", protocols));
		}
		String[] ciphers = bundle.getOptions().getCiphers();
		if (ciphers != null) {
			List<String> tls12 = new ArrayList<>();
			List<String> tls13 = new ArrayList<>();
			for (String cipher : ciphers) {
				(OpenSSLCipherConfigurationParser.isTls13Cipher(cipher) ? tls13 : tls12).add(cipher);
			}
			config.setCiphers(String.join(",", tls12));
			config.setCipherSuites(String.join(",", tls13));
		}
		SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(config,
				SSLHostConfigCertificate.Type.UNDEFINED);
		certificate.setSslContext(new TomcatSslContext(bundle));
		config.addCertificate(certificate);
		return config;
	}

}
