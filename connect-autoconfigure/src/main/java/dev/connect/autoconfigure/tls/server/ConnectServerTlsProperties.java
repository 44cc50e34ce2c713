package dev.connect.autoconfigure.tls.server;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Server mTLS settings.
 */
@ConfigurationProperties("connect.tls.server")
public class ConnectServerTlsProperties {

	/**
	 * Whether the web server serves mutual TLS with the bundle 'connect'.
	 */
	private boolean enabled = true;

	/**
	 * How long a client may take to complete the TLS handshake before the connection is closed. Reactor Netty's
	 * own 10 s limit also applies, so only shorter values take effect.
	 */
	private Duration handshakeTimeout = Duration.ofSeconds(10);

	public Duration getHandshakeTimeout() {
		return this.handshakeTimeout;
	}

	public void setHandshakeTimeout(Duration handshakeTimeout) {
		this.handshakeTimeout = handshakeTimeout;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

}
