package dev.connect.proxy.listener;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;

import javax.net.ssl.SSLException;

import dev.connect.authz.Authorizer;
import dev.connect.authz.Decision;
import dev.connect.identity.SpiffeId;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
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

	private final InetSocketAddress local;

	private final Duration authorizeTimeout;

	private final Duration connectTimeout;

	private final Queue<Object> pending = new ArrayDeque<>();

	private @Nullable Channel outbound;

	private boolean inputEnded;

	private final Map<Channel, SpiffeId> open;

	private @Nullable SpiffeId caller;

	CallerGate(Authorizer authorizer, InetSocketAddress local, Duration authorizeTimeout, Duration connectTimeout,
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
