package dev.connect.autoconfigure.tls.server;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.jspecify.annotations.Nullable;

/**
 * Closes a connection whose TLS handshake has not completed in time, so a client that connects and stays silent
 * cannot hold a connection. A connection whose handshake completed is never closed by it: it removes itself on the
 * completion event or, at the latest, at the deadline.
 */
final class HandshakeTimeoutHandler extends ChannelInboundHandlerAdapter {

	private final Duration timeout;

	private @Nullable ScheduledFuture<?> deadline;

	HandshakeTimeoutHandler(Duration timeout) {
		this.timeout = timeout;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		if (ctx.channel().isActive()) {
			schedule(ctx);
		}
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		schedule(ctx);
		super.channelActive(ctx);
	}

	private void schedule(ChannelHandlerContext ctx) {
		if (this.deadline == null) {
			this.deadline = ctx.executor().schedule(() -> {
				// The completion event does not reach every position in the pipeline (Reactor Netty's own handlers
				// may consume it), so the deadline asks the TLS handler itself: a completed handshake is kept.
				SslHandler ssl = ctx.pipeline().get(SslHandler.class);
				if (ssl != null && ssl.handshakeFuture().isSuccess()) {
					ctx.pipeline().remove(this);
					return;
				}
				ctx.close();
			}, this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
		if (event instanceof SslHandshakeCompletionEvent) {
			if (this.deadline != null) {
				this.deadline.cancel(false);
			}
			ctx.pipeline().remove(this);
		}
		super.userEventTriggered(ctx, event);
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		if (this.deadline != null) {
			this.deadline.cancel(false);
		}
		super.channelInactive(ctx);
	}

}
