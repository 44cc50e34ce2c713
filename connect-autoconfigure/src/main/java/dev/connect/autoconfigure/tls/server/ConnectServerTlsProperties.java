package dev.connect.autoconfigure.tls.server;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Server mTLS settings.
 */
@ConfigurationProperties("connect.tls.server")
public class ConnectServerTlsProperties {

	static final String NOT_POSITIVE = "'%s' must be a positive duration, such as 10s, but was '%s'";

	/**
	 * Whether the web server serves mutual TLS with the bundle 'connect'.
	 */
	private boolean enabled = true;

	/**
	 * How long a client may take to complete the TLS handshake before the connection is closed. Reactor Netty's
	 * own 10 s limit also applies, so only shorter values take effect.
	 */
	private Duration handshakeTimeout = Duration.ofSeconds(10);

	/**
	 * How long a client may take, from the first byte of a request, to send the whole request line and headers
	 * before the connection is closed; bytes arriving do not extend it.
	 */
	private Duration requestHeaderTimeout = Duration.ofSeconds(10);

	/**
	 * How long a connection may wait for the first byte of its next request, from the handshake or the last
	 * response, before it is closed; longer than the mesh client's 'connect.client.max-idle-time' so that clients
	 * close idle connections first.
	 */
	private Duration idleTimeout = Duration.ofSeconds(75);

	public Duration getHandshakeTimeout() {
		return this.handshakeTimeout;
	}

	public void setHandshakeTimeout(Duration handshakeTimeout) {
		this.handshakeTimeout = handshakeTimeout;
	}

	public Duration getRequestHeaderTimeout() {
		return this.requestHeaderTimeout;
	}

	public void setRequestHeaderTimeout(Duration requestHeaderTimeout) {
		this.requestHeaderTimeout = positive("connect.tls.server.request-header-timeout", requestHeaderTimeout);
	}

	public Duration getIdleTimeout() {
		return this.idleTimeout;
	}

	public void setIdleTimeout(Duration idleTimeout) {
		this.idleTimeout = positive("connect.tls.server.idle-timeout", idleTimeout);
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	private static Duration positive(String property, @Nullable Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(NOT_POSITIVE.formatted(property, value));
		}
		return value;
	}

}
