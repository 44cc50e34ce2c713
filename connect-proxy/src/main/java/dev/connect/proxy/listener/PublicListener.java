package dev.connect.proxy.listener;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLException;

import dev.connect.authz.Authorizer;
import dev.connect.authz.Decision;
import dev.connect.identity.SpiffeId;
import dev.connect.mesh.SnapshotBoundSslContext;
import dev.connect.proxy.metrics.ProxyMetrics;
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
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.util.KeyManagerFactoryWrapper;
import io.netty.handler.ssl.util.TrustManagerFactoryWrapper;

/**
 * The proxy's inbound side: accepts mesh callers over mutual TLS and forwards each authorized connection to the local
 * app. For every connection, in this order:
 * <ol>
 * <li>the TLS handshake must finish within the handshake timeout, with a client certificate that chains to the
 * mesh's roots and carries a SPIFFE ID of this trust domain (TLS 1.3 or 1.2), else the connection is closed;</li>
 * <li>the caller's ID is authorized for the destination service; a denial, an error or no answer within the
 * authorization timeout closes the connection;</li>
 * <li>only then is the local app dialled (within the local connect timeout): a refused caller never reaches it;</li>
 * <li>bytes are relayed both ways with backpressure and half-close ({@link TcpRelay}), until both sides end or
 * the connection stays idle for the idle timeout.</li>
 * </ol>
 * A connection beyond the connection limit is closed as soon as it is accepted. Every refusal is counted by reason.
 * The leaf and roots are read from the source on every handshake, so rotation needs no restart. A caller may resume
 * its TLS session, which checks no certificate: sessions are kept per snapshot ({@link SnapshotBoundSslContext}), so
 * none made before new roots or a new leaf is resumed, and the caller's leaf is checked again for expiry before it
 * is authorized.
 */
public final class PublicListener implements AutoCloseable {

	private static final Logger logger = System.getLogger(PublicListener.class.getName());

	private final Channel server;

	private final Authorizer authorizer;

	/** The relayed connections, each with its caller; a connection leaves when it closes. */
	private final Map<Channel, SpiffeId> open;

	private final String tlsProvider;

	private PublicListener(Channel server, Authorizer authorizer, Map<Channel, SpiffeId> open,
			SnapshotBoundSslContext tls) {
		this.tlsProvider = (tls.delegate() instanceof ReferenceCountedOpenSslContext) ? "BoringSSL" : "JDK";
		this.server = server;
		this.authorizer = authorizer;
		this.open = open;
	}

	/**
	 * What a public listener serves, from the proxy's registration.
	 *
	 * @param bind the address to listen on (port 0 for any free port)
	 * @param local the local app's address
	 * @param handshakeTimeout how long a caller's TLS handshake may take ({@code handshake_timeout_ms})
	 * @param authorizeTimeout how long a decision may take
	 * @param localConnectTimeout how long dialling the local app may take ({@code local_connect_timeout_ms})
	 * @param idleTimeout how long a relayed connection may carry no byte either way before both sides are closed
	 * ({@code local_idle_timeout_ms}); zero for no limit
	 * @param maxConnections how many connections may be open at once, handshakes included
	 * ({@code max_inbound_connections}); zero for no limit
	 * @param boringSsl whether to use BoringSSL when it loads (else, and by default, the JDK's TLS)
	 */
	public record Settings(InetSocketAddress bind, InetSocketAddress local, Duration handshakeTimeout,
			Duration authorizeTimeout, Duration localConnectTimeout, Duration idleTimeout, int maxConnections,
			boolean boringSsl) {

		public Settings {
			Objects.requireNonNull(bind, "'bind' must not be null");
			Objects.requireNonNull(local, "'local' must not be null");
			Objects.requireNonNull(handshakeTimeout, "'handshakeTimeout' must not be null");
			Objects.requireNonNull(authorizeTimeout, "'authorizeTimeout' must not be null");
			Objects.requireNonNull(localConnectTimeout, "'localConnectTimeout' must not be null");
			Objects.requireNonNull(idleTimeout, "'idleTimeout' must not be null");
			if (maxConnections < 0) {
				throw new IllegalArgumentException("max_inbound_connections '" + maxConnections
						+ "' must be 0 (no limit) or more");
			}
		}

	}

	/**
	 * Binds the listener.
	 * @param group the event loops
	 * @param settings the addresses, timeouts and limit
	 * @param source the destination service's leaf and the mesh's roots
	 * @param authorizer decides on each caller
	 * @param metrics where connections, bytes, refusals and latencies are counted
	 * @return the bound listener
	 * @throws IllegalStateException when the address cannot be bound, naming it
	 */
	public static PublicListener start(EventLoopGroup group, Settings settings, CertificateSource source,
			Authorizer authorizer, ProxyMetrics.Side metrics) {
		Objects.requireNonNull(authorizer, "'authorizer' must not be null");
		SnapshotBoundSslContext tls = SnapshotBoundSslContext.of(source, () -> serverContext(source, settings.boringSsl()));
		Map<Channel, SpiffeId> open = new ConcurrentHashMap<>();
		AtomicInteger connections = new AtomicInteger();
		ServerBootstrap bootstrap = new ServerBootstrap().group(group)
			.channel(NioServerSocketChannel.class)
			.childOption(ChannelOption.AUTO_READ, false)
			.childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
			.childHandler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					if (settings.maxConnections() > 0 && connections.get() >= settings.maxConnections()) {
						metrics.refused(ProxyMetrics.Refusal.LIMIT);
						logger.log(Level.DEBUG, "Refused {0}: max_inbound_connections {1} reached",
								channel.remoteAddress(), settings.maxConnections());
						channel.close();
						return;
					}
					connections.incrementAndGet();
					channel.closeFuture().addListener((closed) -> connections.decrementAndGet());
					SslHandler handler = tls.newHandler(channel.alloc());
					handler.setHandshakeTimeoutMillis(settings.handshakeTimeout().toMillis());
					channel.pipeline()
						.addLast("tls", handler)
						.addLast("gate", new CallerGate(authorizer, settings, open, metrics));
				}
			});
		return new PublicListener(Listeners.bind(bootstrap, settings.bind(), "public listener"), authorizer, open, tls);
	}

	/**
	 * Returns the address the listener is bound to.
	 * @return the address
	 */
	public InetSocketAddress address() {
		return (InetSocketAddress) this.server.localAddress();
	}

	/**
	 * Asks again about the caller of every open connection, and closes the connections of callers no longer allowed
	 * (or without a decision): for a change of intentions, after the cached decisions were outdated.
	 */
	public void reauthorize() {
		Map<SpiffeId, List<Channel>> byCaller = new HashMap<>();
		this.open.forEach((channel, caller) -> byCaller.computeIfAbsent(caller, (key) -> new ArrayList<>()).add(channel));
		byCaller.forEach((caller, channels) -> this.authorizer.authorize(caller)
			.timeout(Duration.ofSeconds(2))
			.map(Decision::allowed)
			.onErrorReturn(false)
			.subscribe((allowed) -> {
				if (!allowed) {
					logger.log(Level.INFO, "Closing {0} connection(s) of ''{1}'': no longer allowed", channels.size(),
							caller);
					channels.forEach(Channel::close);
				}
			}));
	}

	/**
	 * Returns the TLS implementation in use.
	 * @return {@code BoringSSL} or {@code JDK}
	 */
	public String tlsProvider() {
		return this.tlsProvider;
	}

	/**
	 * Returns whether the listener is bound and accepting.
	 * @return whether it serves
	 */
	public boolean serving() {
		return this.server.isActive();
	}

	/**
	 * Returns how many relayed connections are open.
	 * @return the count
	 */
	public int openConnections() {
		return this.open.size();
	}

	/** Stops accepting; open connections are left to finish. */
	@Override
	public void close() {
		this.server.close().syncUninterruptibly();
	}

	private static SslContext serverContext(CertificateSource source, boolean boringSsl) {
		try {
			return SslContextBuilder.forServer(new KeyManagerFactoryWrapper(new SnapshotKeyManager(source)))
				.trustManager(new TrustManagerFactoryWrapper(
						new IdentityTrustManager(source, IdentityTrustManager.PeerVerifier.none())))
				.clientAuth(ClientAuth.REQUIRE)
				.protocols(Listeners.PROTOCOLS)
				.ciphers(Listeners.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
				.sslProvider(Listeners.provider(boringSsl))
				.build();
		}
		catch (SSLException ex) {
			throw new IllegalStateException("Unable to build the public listener's TLS context", ex);
		}
	}

}
