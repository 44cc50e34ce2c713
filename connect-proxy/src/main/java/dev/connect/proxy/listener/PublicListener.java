package dev.connect.proxy.listener;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLException;

import dev.connect.authz.Authorizer;
import dev.connect.authz.Decision;
import dev.connect.identity.SpiffeId;
import dev.connect.tls.CertificateSource;
import dev.connect.tls.IdentityTrustManager;
import dev.connect.tls.SnapshotKeyManager;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.util.KeyManagerFactoryWrapper;
import io.netty.handler.ssl.util.TrustManagerFactoryWrapper;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

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
						.addLast("gate", new Gate(authorizer, local, authorizeTimeout, localConnectTimeout, open));
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

	/**
	 * Holds a connection between its handshake and its relay: authorizes the caller, then dials the local app. Bytes
	 * the TLS layer decoded in the meantime are kept and forwarded first.
	 */
	private static final class Gate extends ChannelInboundHandlerAdapter {

		private final Authorizer authorizer;

		private final InetSocketAddress local;

		private final Duration authorizeTimeout;

		private final Duration connectTimeout;

		private final Queue<Object> pending = new ArrayDeque<>();

		private @Nullable Channel outbound;

		private boolean inputEnded;

		private final Map<Channel, SpiffeId> open;

		private @Nullable SpiffeId caller;

		Gate(Authorizer authorizer, InetSocketAddress local, Duration authorizeTimeout, Duration connectTimeout,
				Map<Channel, SpiffeId> open) {
			this.open = open;
			this.authorizer = authorizer;
			this.local = local;
			this.authorizeTimeout = authorizeTimeout;
			this.connectTimeout = connectTimeout;
		}

		@Override
		public void channelActive(ChannelHandlerContext ctx) {
			ctx.read();
			ctx.fireChannelActive();
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object message) {
			this.pending.add(message);
		}

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
			// A caller may send its bytes and end its side before it is authorized: the end is passed on after them.
			this.inputEnded |= TcpRelay.endsInput(event);
			if (event instanceof SslHandshakeCompletionEvent handshake) {
				if (!handshake.isSuccess()) {
					logger.log(Level.DEBUG, "Refused {0}: TLS handshake failed: {1}", ctx.channel().remoteAddress(),
							handshake.cause().getMessage());
					ctx.close();
					return;
				}
				authorize(ctx);
			}
			ctx.fireUserEventTriggered(event);
		}

		private void authorize(ChannelHandlerContext ctx) {
			SpiffeId caller;
			try {
				caller = callerOf(ctx.pipeline().get(SslHandler.class));
			}
			catch (RuntimeException | SSLException ex) {
				logger.log(Level.INFO, "Refused {0}: no SPIFFE ID in its certificate", ctx.channel().remoteAddress());
				ctx.close();
				return;
			}
			this.authorizer.authorize(caller)
				.timeout(this.authorizeTimeout)
				.subscribe((decision) -> ctx.executor().execute(() -> decided(ctx, caller, decision)),
						(error) -> ctx.executor().execute(() -> {
							logger.log(Level.INFO, "Refused ''{0}'': no authorization decision: {1}", caller,
									error.getMessage());
							ctx.close();
						}));
		}

		private void decided(ChannelHandlerContext ctx, SpiffeId caller, Decision decision) {
			if (!decision.allowed()) {
				logger.log(Level.INFO, "Refused ''{0}'': {1}", caller, decision.reason());
				ctx.close();
				return;
			}
			this.caller = caller;
			if (!ctx.channel().isActive()) {
				return;
			}
			new Bootstrap().group(ctx.channel().eventLoop())
				.channel(NioSocketChannel.class)
				.option(ChannelOption.AUTO_READ, false)
				.option(ChannelOption.ALLOW_HALF_CLOSURE, true)
				.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) this.connectTimeout.toMillis())
				.handler(new ChannelInboundHandlerAdapter())
				.connect(this.local)
				.addListener((ChannelFutureListener) (dialled) -> {
					if (!dialled.isSuccess()) {
						logger.log(Level.WARNING, "Unable to reach the local app at {0} for ''{1}'': {2}", this.local,
								caller, dialled.cause().getMessage());
						ctx.close();
						return;
					}
					connected(ctx, dialled.channel());
				});
		}

		private void connected(ChannelHandlerContext ctx, Channel app) {
			if (!ctx.channel().isActive()) {
				app.close();
				return;
			}
			this.outbound = app;
			while (!this.pending.isEmpty()) {
				app.write(this.pending.poll());
			}
			app.flush();
			Channel inbound = ctx.channel();
			if (this.caller != null) {
				this.open.put(inbound, this.caller);
				inbound.closeFuture().addListener((ChannelFutureListener) (closed) -> this.open.remove(inbound));
			}
			ctx.pipeline().remove(this);
			TcpRelay.join(inbound, this.inputEnded, app, false);
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			this.pending.forEach(ReferenceCountUtil::release);
			this.pending.clear();
			if (this.outbound != null) {
				this.outbound.close();
			}
			ctx.fireChannelInactive();
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			logger.log(Level.DEBUG, "Closing {0}: {1}", ctx.channel().remoteAddress(), cause.getMessage());
			ctx.close();
		}

		private static SpiffeId callerOf(@Nullable SslHandler tls) throws SSLException {
			if (tls == null) {
				throw new IllegalStateException("no TLS");
			}
			X509Certificate leaf = (X509Certificate) tls.engine().getSession().getPeerCertificates()[0];
			return Listeners.spiffeId(leaf);
		}

	}

}
