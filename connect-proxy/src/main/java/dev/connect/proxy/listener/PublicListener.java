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

import javax.net.ssl.SSLException;

import dev.connect.authz.Authorizer;
import dev.connect.authz.Decision;
import dev.connect.identity.SpiffeId;
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
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
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
 * <li>bytes are relayed both ways with backpressure and half-close ({@link TcpRelay}).</li>
 * </ol>
 * The leaf and roots are read from the source on every handshake, so rotation needs no restart.
 */
public final class PublicListener implements AutoCloseable {

	private static final Logger logger = System.getLogger(PublicListener.class.getName());

	private final Channel server;

	private final Authorizer authorizer;

	/** The relayed connections, each with its caller; a connection leaves when it closes. */
	private final Map<Channel, SpiffeId> open;

	private PublicListener(Channel server, Authorizer authorizer, Map<Channel, SpiffeId> open) {
		this.server = server;
		this.authorizer = authorizer;
		this.open = open;
	}

	/**
	 * Binds the listener.
	 * @param group the event loops
	 * @param bind the address to listen on (port 0 for any free port)
	 * @param source the destination service's leaf and the mesh's roots
	 * @param authorizer decides on each caller
	 * @param local the local app's address
	 * @param handshakeTimeout how long a caller's TLS handshake may take
	 * @param authorizeTimeout how long a decision may take
	 * @param localConnectTimeout how long dialling the local app may take
	 * @return the bound listener
	 * @throws IllegalStateException when the address cannot be bound, naming it
	 */
	public static PublicListener start(EventLoopGroup group, InetSocketAddress bind, CertificateSource source,
			Authorizer authorizer, InetSocketAddress local, Duration handshakeTimeout, Duration authorizeTimeout,
			Duration localConnectTimeout) {
		Objects.requireNonNull(authorizer, "'authorizer' must not be null");
		SslContext tls = serverContext(source);
		Map<Channel, SpiffeId> open = new ConcurrentHashMap<>();
		ServerBootstrap bootstrap = new ServerBootstrap().group(group)
			.channel(NioServerSocketChannel.class)
			.childOption(ChannelOption.AUTO_READ, false)
			.childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
			.childHandler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					SslHandler handler = tls.newHandler(channel.alloc());
					handler.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
					channel.pipeline()
						.addLast("tls", handler)
						.addLast("gate", new CallerGate(authorizer, local, authorizeTimeout, localConnectTimeout, open));
				}
			});
		return new PublicListener(Listeners.bind(bootstrap, bind, "public listener"), authorizer, open);
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

	private static SslContext serverContext(CertificateSource source) {
		try {
			return SslContextBuilder.forServer(new KeyManagerFactoryWrapper(new SnapshotKeyManager(source)))
				.trustManager(new TrustManagerFactoryWrapper(
						new IdentityTrustManager(source, IdentityTrustManager.PeerVerifier.none())))
				.clientAuth(ClientAuth.REQUIRE)
				.protocols("TLSv1.3", "TLSv1.2")
				.build();
		}
		catch (SSLException ex) {
			throw new IllegalStateException("Unable to build the public listener's TLS context", ex);
		}
	}

}
