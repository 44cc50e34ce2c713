package dev.connect.proxy.listener;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;

import javax.net.ssl.SSLException;

import dev.connect.authz.Authorizer;
import dev.connect.authz.Decision;
import dev.connect.identity.SpiffeId;
import dev.connect.proxy.metrics.ProxyMetrics;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

/**
 * Holds a connection between its handshake and its relay: authorizes the caller, then dials the local app. Bytes
 * the TLS layer decoded in the meantime are kept and forwarded first.
 */
final class CallerGate extends ChannelInboundHandlerAdapter {

	private static final Logger logger = System.getLogger(PublicListener.class.getName());

	private final Authorizer authorizer;

	private final PublicListener.Settings settings;

	private final ProxyMetrics.Side metrics;

	private long accepted;

	private boolean handshaken;

	private final Queue<Object> pending = new ArrayDeque<>();

	private @Nullable Channel outbound;

	private boolean inputEnded;

	private final Map<Channel, SpiffeId> open;

	private @Nullable SpiffeId caller;

	CallerGate(Authorizer authorizer, PublicListener.Settings settings, Map<Channel, SpiffeId> open,
			ProxyMetrics.Side metrics) {
		this.open = open;
		this.authorizer = authorizer;
		this.settings = settings;
		this.metrics = metrics;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		this.accepted = System.nanoTime();
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
		if (event == ChannelInputShutdownEvent.INSTANCE && !this.handshaken) {
			// A handshake cannot finish once the caller's input ended: free the slot. Not counted as a refusal, since
			// the agent's TCP check does exactly this every interval.
			ctx.close();
			return;
		}
		if (event instanceof SslHandshakeCompletionEvent handshake) {
			if (!handshake.isSuccess()) {
				logger.log(Level.DEBUG, "Refused {0}: TLS handshake failed: {1}", ctx.channel().remoteAddress(),
						handshake.cause().getMessage());
				this.metrics.refused(ProxyMetrics.Refusal.HANDSHAKE);
				ctx.close();
				return;
			}
			this.handshaken = true;
			this.metrics.handshake(System.nanoTime() - this.accepted);
			authorize(ctx);
		}
		ctx.fireUserEventTriggered(event);
	}

	private void authorize(ChannelHandlerContext ctx) {
		X509Certificate leaf;
		SpiffeId caller;
		try {
			leaf = callerLeaf(ctx.pipeline().get(SslHandler.class));
			caller = Listeners.spiffeId(leaf);
		}
		catch (RuntimeException | SSLException ex) {
			logger.log(Level.INFO, "Refused {0}: no SPIFFE ID in its certificate", ctx.channel().remoteAddress());
			this.metrics.refused(ProxyMetrics.Refusal.UNAUTHORIZED);
			ctx.close();
			return;
		}
		// A resumed TLS session checks no certificate: the leaf of its first handshake may have expired since.
		String outside = Listeners.outsideValidity(leaf);
		if (outside != null) {
			logger.log(Level.INFO, "Refused ''{0}'' on a resumed TLS session: {1}", caller, outside);
			this.metrics.refused(ProxyMetrics.Refusal.HANDSHAKE);
			ctx.close();
			return;
		}
		this.authorizer.authorize(caller)
			.timeout(this.settings.authorizeTimeout())
			.subscribe((decision) -> ctx.executor().execute(() -> decided(ctx, caller, decision)),
					(error) -> ctx.executor().execute(() -> {
						logger.log(Level.INFO, "Refused ''{0}'': no authorization decision: {1}", caller,
								error.getMessage());
						this.metrics.refused(ProxyMetrics.Refusal.UNAUTHORIZED);
						ctx.close();
					}));
	}

	private void decided(ChannelHandlerContext ctx, SpiffeId caller, Decision decision) {
		if (!decision.allowed()) {
			logger.log(Level.INFO, "Refused ''{0}'': {1}", caller, decision.reason());
			this.metrics.refused(ProxyMetrics.Refusal.UNAUTHORIZED);
			ctx.close();
			return;
		}
		this.caller = caller;
		if (!ctx.channel().isActive()) {
			return;
		}
		long dialling = System.nanoTime();
		InetSocketAddress local = this.settings.local();
		new Bootstrap().group(ctx.channel().eventLoop())
			.channel(NioSocketChannel.class)
			.option(ChannelOption.AUTO_READ, false)
			.option(ChannelOption.ALLOW_HALF_CLOSURE, true)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) this.settings.localConnectTimeout().toMillis())
			.handler(new ChannelInboundHandlerAdapter())
			.connect(local)
			.addListener((ChannelFutureListener) (dialled) -> {
				if (!dialled.isSuccess()) {
					logger.log(Level.WARNING, "Unable to reach the local app at {0} for ''{1}'': {2}", local, caller,
							dialled.cause().getMessage());
					this.metrics.refused(ProxyMetrics.Refusal.DIAL);
					ctx.close();
					return;
				}
				this.metrics.dial(System.nanoTime() - dialling);
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
			Object message = this.pending.poll();
			if (message instanceof ByteBuf bytes) {
				this.metrics.received().accept(bytes.readableBytes());
			}
			app.write(message);
		}
		app.flush();
		Channel inbound = ctx.channel();
		if (this.caller != null) {
			this.open.put(inbound, this.caller);
			inbound.closeFuture().addListener((ChannelFutureListener) (closed) -> this.open.remove(inbound));
		}
		ctx.pipeline().remove(this);
		this.metrics.opened();
		inbound.closeFuture().addListener((ChannelFutureListener) (closed) -> this.metrics.closed());
		TcpRelay.join(new TcpRelay.Side(inbound, this.inputEnded, this.metrics.received()),
				new TcpRelay.Side(app, false, this.metrics.sent()), this.settings.idleTimeout());
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

	private static X509Certificate callerLeaf(@Nullable SslHandler tls) throws SSLException {
		if (tls == null) {
			throw new IllegalStateException("no TLS");
		}
		return (X509Certificate) tls.engine().getSession().getPeerCertificates()[0];
	}

}
