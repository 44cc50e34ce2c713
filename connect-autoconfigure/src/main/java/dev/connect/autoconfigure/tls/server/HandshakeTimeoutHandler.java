package dev.connect.autoconfigure.tls.server;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/**
 * Closes a connection whose TLS handshake has not completed in time, so a client that connects and stays silent
 * cannot hold a connection. Removes itself once the handshake is done.
 */
final class HandshakeTimeoutHandler extends ChannelInboundHandlerAdapter {

	private final Duration timeout;

	private ScheduledFuture<?> deadline;

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
