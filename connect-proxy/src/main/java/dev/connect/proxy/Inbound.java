package dev.connect.proxy;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.connect.authz.Authorizer;
import dev.connect.proxy.metrics.ProxyMetrics;
import dev.connect.proxy.listener.PublicListener;
import dev.connect.tls.CertificateSource;
import io.netty.channel.EventLoopGroup;

/**
 * The public listener, kept in step with the registration's address, port, local app, timeouts and limit: on a change a
 * new listener is bound and the old one stops accepting. The old one's open connections finish on their own, and are
 * still closed when their caller is no longer allowed. Thread-safe.
 */
final class Inbound implements AutoCloseable {

	private static final Logger logger = System.getLogger(Inbound.class.getName());

	private final EventLoopGroup group;

	private final CertificateSource source;

	private final Authorizer authorizer;

	private final Duration authorizeTimeout;

	private final ProxyMetrics.Side metrics;

	private final boolean boringSsl;

	private final List<PublicListener> retired = new CopyOnWriteArrayList<>();

	private volatile PublicListener current;

	Inbound(EventLoopGroup group, CertificateSource source, Authorizer authorizer, Duration authorizeTimeout,
			ProxyRegistration registration, ProxyMetrics metrics, boolean boringSsl) {
		this.group = group;
		this.source = source;
		this.authorizer = authorizer;
		this.authorizeTimeout = authorizeTimeout;
		this.metrics = metrics.inbound(registration.destination());
		this.boringSsl = boringSsl;
		this.current = start(registration);
	}

	private PublicListener start(ProxyRegistration registration) {
		return PublicListener.start(this.group, settings(registration), this.source, this.authorizer, this.metrics);
	}

	private PublicListener.Settings settings(ProxyRegistration registration) {
		return new PublicListener.Settings(registration.publicAddress(), registration.local(),
				registration.handshakeTimeout(), this.authorizeTimeout, registration.localConnectTimeout(),
				registration.localIdleTimeout(), registration.maxInboundConnections(), this.boringSsl);
	}

	/**
	 * Follows a changed registration. A new port is bound before the old one is released; the same port is released
	 * first, and bound again with the old settings if the new ones cannot be served.
	 * @param before the registration served so far
	 * @param after the changed registration
	 */
	synchronized void apply(ProxyRegistration before, ProxyRegistration after) {
		if (settings(before).equals(settings(after))) {
			return;
		}
		PublicListener old = this.current;
		boolean samePort = before.publicAddress().equals(after.publicAddress());
		if (samePort) {
			old.close();
		}
		try {
			this.current = start(after);
		}
		catch (IllegalStateException ex) {
			logger.log(Level.WARNING, "Keeping the public listener as it was: {0}", ex.getMessage());
			if (samePort) {
				this.current = start(before);
			}
			return;
		}
		if (!samePort) {
			old.close();
		}
		this.retired.add(old);
		logger.log(Level.INFO, "Public listener now on {0}, forwarding to {1}", this.current.address(), after.local());
	}

	/** Asks again about the callers of every open connection, on the current listener and on retired ones. */
	void reauthorize() {
		this.current.reauthorize();
		this.retired.removeIf((listener) -> listener.openConnections() == 0);
		this.retired.forEach(PublicListener::reauthorize);
	}

	InetSocketAddress address() {
		return this.current.address();
	}

	String tlsProvider() {
		return this.current.tlsProvider();
	}

	boolean serving() {
		return this.current.serving();
	}

	@Override
	public synchronized void close() {
		this.current.close();
	}

}
