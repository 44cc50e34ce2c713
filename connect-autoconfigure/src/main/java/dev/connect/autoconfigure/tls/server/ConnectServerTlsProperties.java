package dev.connect.autoconfigure.tls.server;

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

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

}
