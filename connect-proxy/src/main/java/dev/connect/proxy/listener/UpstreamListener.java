package dev.connect.proxy.listener;

import java.net.InetSocketAddress;
import java.time.Duration;

import javax.net.ssl.SSLException;

import dev.connect.mesh.SnapshotBoundSslContext;
import dev.connect.mesh.UpstreamAddressBook;
import dev.connect.proxy.metrics.ProxyMetrics;
import dev.connect.proxy.upstream.UpstreamResolver;
import dev.connect.tls.CertificateSource;
import dev.connect.tls.IdentityTrustManager;
import dev.connect.tls.SnapshotKeyManager;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.util.KeyManagerFactoryWrapper;
import io.netty.handler.ssl.util.TrustManagerFactoryWrapper;

/**
 * A plain TCP port on the local host for one upstream service. For every local connection, before any of its bytes
 * is read:
 * <ol>
 * <li>an instance is picked from the resolver (round-robin) and dialled over mutual TLS with this proxy's leaf;</li>
 * <li>inside the handshake the server must prove exactly the identity recorded for its address (the trust manager
 * over the {@link UpstreamAddressBook}), and the proven identity and its leaf's validity are checked again once the
 * handshake is done, so a resumed session is held to the same rule: an impostor gets no byte (sessions are kept per
 * snapshot, {@link SnapshotBoundSslContext}: none made before new roots or a new leaf is resumed; spread over
 * {@value #SESSION_CACHES} session caches, so that connections opened at the same time resume too);</li>
 * <li>when the dial or the handshake fails, one other instance is tried; then the local connection is closed;</li>
 * <li>bytes are relayed both ways with backpressure and half-close ({@link TcpRelay}), until both sides end or
 * the connection stays idle for the idle timeout.</li>
 * </ol>
 */
public final class UpstreamListener implements AutoCloseable {

	/**
	 * Session caches per upstream: a TLS client keeps one session per instance and uses a TLS 1.3 session once, so
	 * with one cache only one of the connections opened at the same time to an instance could resume; with 16, up to
	 * 16 can. A resumed handshake skips the certificate signatures and the chain validation.
	 */
	static final int SESSION_CACHES = 16;

	private final Channel server;

	private UpstreamListener(Channel server) {
		this.server = server;
	}

	/**
	 * Binds the listener.
	 * @param group the event loops
	 * @param bind the local address (port 0 for any free port)
	 * @param resolver the upstream's healthy instances
	 * @param source this proxy's leaf and the mesh's roots
	 * @param addresses the identity expected at each instance's address
	 * @param connectTimeout how long dialling one instance may take, connect and handshake each
	 * @param idleTimeout how long a relayed connection may carry no byte either way before both sides are closed;
	 * zero for no limit
	 * @param metrics where connections, bytes, refusals and latencies are counted
	 * @param boringSsl whether to use BoringSSL when it loads (else, and by default, the JDK's TLS)
	 * @return the bound listener
	 * @throws IllegalStateException when the address cannot be bound, naming it
	 */
	public static UpstreamListener start(EventLoopGroup group, InetSocketAddress bind, UpstreamResolver resolver,
			CertificateSource source, UpstreamAddressBook addresses, Duration connectTimeout, Duration idleTimeout,
			ProxyMetrics.Side metrics, boolean boringSsl) {
		SslContext tls = SnapshotBoundSslContext.ofClient(source, () -> clientContext(source, addresses, boringSsl),
				SESSION_CACHES);
		ServerBootstrap bootstrap = new ServerBootstrap().group(group)
			.channel(NioServerSocketChannel.class)
			.childOption(ChannelOption.AUTO_READ, false)
			.childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
			.childHandler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					channel.pipeline()
						.addLast("dialer", new UpstreamDialer(resolver, tls, addresses, connectTimeout, idleTimeout, metrics));
				}
			});
		return new UpstreamListener(Listeners.bind(bootstrap, bind, "upstream listener for '" + resolver.service() + "'"));
	}

	/**
	 * Returns the address the listener is bound to.
	 * @return the address
	 */
	public InetSocketAddress address() {
		return (InetSocketAddress) this.server.localAddress();
	}

	/** Stops accepting; open connections are left to finish. */
	@Override
	public void close() {
		this.server.close().syncUninterruptibly();
	}

	private static SslContext clientContext(CertificateSource source, UpstreamAddressBook addresses,
			boolean boringSsl) {
		try {
			return SslContextBuilder.forClient()
				.keyManager(new KeyManagerFactoryWrapper(new SnapshotKeyManager(source)))
				.trustManager(new TrustManagerFactoryWrapper(new IdentityTrustManager(source, addresses)))
				.protocols(Listeners.PROTOCOLS)
				.ciphers(Listeners.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
				.sslProvider(Listeners.provider(boringSsl))
				// The SPIFFE ID expected at the address is the identity check; there is no host name to verify.
				.endpointIdentificationAlgorithm(null)
				.build();
		}
		catch (SSLException ex) {
			throw new IllegalStateException("Unable to build the upstream listener's TLS context", ex);
		}
	}

}
