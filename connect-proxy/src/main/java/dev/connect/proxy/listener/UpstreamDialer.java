package dev.connect.proxy.listener;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;

import javax.net.ssl.SSLException;

import dev.connect.identity.ServiceIdentity;
import dev.connect.mesh.UpstreamAddressBook;
import dev.connect.mesh.UpstreamIdentity;
import dev.connect.proxy.metrics.ProxyMetrics;
import dev.connect.proxy.upstream.UpstreamResolver;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

/**
 * Dials an instance for one local connection of an {@link UpstreamListener}, with one retry on another instance, and
 * joins the two in a {@link TcpRelay} once the instance proved the identity expected at its address.
 */
final class UpstreamDialer extends ChannelInboundHandlerAdapter {

	private static final Logger logger = System.getLogger(UpstreamListener.class.getName());

	private final UpstreamResolver resolver;

	private final SslContext tls;

	private final UpstreamAddressBook addresses;

	private final Duration timeout;

	private final Duration idleTimeout;

	private final ProxyMetrics.Side metrics;

	private @Nullable Channel remote;

	/** Why the last attempt failed: counted as the refusal when no other instance is left to try. */
	private ProxyMetrics.Refusal failure = ProxyMetrics.Refusal.NO_INSTANCE;

	UpstreamDialer(UpstreamResolver resolver, SslContext tls, UpstreamAddressBook addresses, Duration timeout,
			Duration idleTimeout, ProxyMetrics.Side metrics) {
		this.resolver = resolver;
		this.tls = tls;
		this.addresses = addresses;
		this.timeout = timeout;
		this.idleTimeout = idleTimeout;
		this.metrics = metrics;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		dial(ctx, null);
		ctx.fireChannelActive();
	}

	private void dial(ChannelHandlerContext ctx, @Nullable InetSocketAddress failed) {
		if (!ctx.channel().isActive()) {
			return;
		}
		InetSocketAddress target = this.resolver.pick(failed);
		if (target == null) {
			logger.log(Level.WARNING, "No healthy instance of ''{0}'' to dial{1}", this.resolver.service(),
					(failed != null) ? " other than " + hostPort(failed) + ", which failed" : "");
			this.metrics.refused(this.failure);
			ctx.close();
			return;
		}
		long dialling = System.nanoTime();
		String host = target.getHostString();
		int port = target.getPort();
		new Bootstrap().group(ctx.channel().eventLoop())
			.channel(NioSocketChannel.class)
			.option(ChannelOption.AUTO_READ, false)
			.option(ChannelOption.ALLOW_HALF_CLOSURE, true)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) this.timeout.toMillis())
			.handler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					SslHandler handler = UpstreamDialer.this.tls.newHandler(channel.alloc(), host, port);
					handler.setHandshakeTimeoutMillis(UpstreamDialer.this.timeout.toMillis());
					channel.pipeline().addLast("tls", handler).addLast("handshake", new Handshake(ctx, target));
				}
			})
			.connect(new InetSocketAddress(host, port))
			.addListener((ChannelFutureListener) (dialled) -> {
				if (dialled.isSuccess()) {
					this.metrics.dial(System.nanoTime() - dialling);
				}
				else {
					retry(ctx, target, ProxyMetrics.Refusal.DIAL, dialled.cause());
				}
			});
	}

	private void retry(ChannelHandlerContext ctx, InetSocketAddress target, ProxyMetrics.Refusal kind,
			Throwable cause) {
		logger.log(Level.INFO, "Unable to reach ''{0}'' at {1}: {2}", this.resolver.service(), hostPort(target),
				cause.getMessage());
		this.failure = kind;
		if (this.remote == null && ctx.channel().isActive() && ctx.channel().attr(RETRIED).setIfAbsent(true) == null) {
			dial(ctx, target);
		}
		else {
			if (this.remote == null && ctx.channel().isActive()) {
				this.metrics.refused(kind);
			}
			ctx.close();
		}
	}

	private void established(ChannelHandlerContext ctx, Channel channel, InetSocketAddress target) {
		UpstreamIdentity expected = this.addresses.expectedAt(target.getHostString(), target.getPort());
		ServiceIdentity proven;
		String outside;
		try {
			X509Certificate leaf = (X509Certificate) channel.pipeline()
				.get(SslHandler.class)
				.engine()
				.getSession()
				.getPeerCertificates()[0];
			proven = ServiceIdentity.from(Listeners.spiffeId(leaf));
			// A resumed TLS session checks no certificate: the leaf of its first handshake may have expired since.
			outside = Listeners.outsideValidity(leaf);
		}
		catch (RuntimeException | SSLException ex) {
			proven = null;
			outside = null;
		}
		if (expected == null || proven == null || !expected.isProvenBy(proven)) {
			channel.close();
			retry(ctx, target, ProxyMetrics.Refusal.HANDSHAKE,
					new SSLException("the server at " + hostPort(target) + " did not prove " + expected));
			return;
		}
		if (outside != null) {
			channel.close();
			retry(ctx, target, ProxyMetrics.Refusal.HANDSHAKE, new SSLException(
					"the server at " + hostPort(target) + " resumed a TLS session: " + outside));
			return;
		}
		if (!ctx.channel().isActive()) {
			channel.close();
			return;
		}
		this.remote = channel;
		Handshake handshake = (Handshake) channel.pipeline().remove("handshake");
		// A server that speaks first (a database's greeting) may have sent bytes with its last handshake flight.
		while (!handshake.pending.isEmpty()) {
			Object message = handshake.pending.poll();
			if (message instanceof ByteBuf bytes) {
				this.metrics.received().accept(bytes.readableBytes());
			}
			ctx.channel().write(message);
		}
		ctx.channel().flush();
		ctx.pipeline().remove(this);
		this.metrics.handshake(System.nanoTime() - handshake.connected);
		this.metrics.opened();
		ctx.channel().closeFuture().addListener((ChannelFutureListener) (closed) -> this.metrics.closed());
		TcpRelay.join(new TcpRelay.Side(ctx.channel(), false, this.metrics.sent()),
				new TcpRelay.Side(channel, handshake.inputEnded, this.metrics.received()), this.idleTimeout);
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		if (this.remote != null) {
			this.remote.close();
		}
		ctx.fireChannelInactive();
	}

	/** Waits for the instance's handshake; nothing is read from it before the relay starts. */
	private final class Handshake extends ChannelInboundHandlerAdapter {

		private final ChannelHandlerContext local;

		private final InetSocketAddress target;

		private final Queue<Object> pending = new ArrayDeque<>();

		private boolean inputEnded;

		private long connected;

		private boolean handshaken;

		Handshake(ChannelHandlerContext local, InetSocketAddress target) {
			this.local = local;
			this.target = target;
		}

		@Override
		public void channelActive(ChannelHandlerContext ctx) {
			this.connected = System.nanoTime();
			ctx.read();
			ctx.fireChannelActive();
		}

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
			this.inputEnded |= TcpRelay.endsInput(event);
			if (event == ChannelInputShutdownEvent.INSTANCE && !this.handshaken) {
				// The instance closed before the handshake finished (a full listener, a crash): no waiting for the
				// handshake timeout, the other instance is tried at once.
				ctx.close();
				this.local.executor()
					.execute(() -> retry(this.local, this.target, ProxyMetrics.Refusal.HANDSHAKE,
							new SSLException("the instance closed the connection during the handshake")));
				return;
			}
			if (event instanceof SslHandshakeCompletionEvent handshake) {
				this.handshaken = true;
				if (handshake.isSuccess()) {
					this.local.executor().execute(() -> established(this.local, ctx.channel(), this.target));
				}
				else {
					ctx.close();
					this.local.executor()
						.execute(() -> retry(this.local, this.target, ProxyMetrics.Refusal.HANDSHAKE,
								handshake.cause()));
				}
			}
			ctx.fireUserEventTriggered(event);
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object message) {
			this.pending.add(message);
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			this.pending.forEach(ReferenceCountUtil::release);
			this.pending.clear();
			ctx.fireChannelInactive();
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			ctx.close();
		}

	}

	private static String hostPort(InetSocketAddress address) {
		return address.getHostString() + ":" + address.getPort();
	}

	private static final AttributeKey<Boolean> RETRIED = AttributeKey.valueOf(UpstreamDialer.class, "retried");

}
