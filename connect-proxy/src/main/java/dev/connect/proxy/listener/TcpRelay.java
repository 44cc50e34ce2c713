package dev.connect.proxy.listener;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * Copies bytes between two connected channels, both with auto-read off and half-closure allowed:
 * <ol>
 * <li>Backpressure: a side is read once, and read again only when what it gave was written to the other side's
 * socket, so at most one read buffer per direction is in flight however slow the reader is.</li>
 * <li>Half-close: when one side's input ends (a TCP FIN, or a TLS close_notify), the other side's output is shut
 * down after what was already written (close_notify then FIN on a TLS side); the other direction keeps flowing.</li>
 * <li>When both directions have ended, either connection closes or fails, or no byte moved either way for the idle
 * timeout, both are closed.</li>
 * </ol>
 */
final class TcpRelay extends ChannelInboundHandlerAdapter {

	/**
	 * One side of a relay.
	 *
	 * @param channel the connection
	 * @param ended whether its input already ended (seen before the relay was joined)
	 * @param read where the bytes read from it are counted
	 */
	record Side(Channel channel, boolean ended, LongConsumer read) {
	}

	private final Channel peer;

	private final AtomicInteger ended;

	private final LongConsumer read;

	private boolean inputEnded;

	private TcpRelay(Channel peer, AtomicInteger ended, LongConsumer read) {
		this.peer = peer;
		this.ended = ended;
		this.read = read;
	}

	/**
	 * Joins two channels and starts reading both.
	 * @param left one side, whose connection also carries the idle timer
	 * @param right the other side
	 * @param idleTimeout how long both directions may carry no byte before both sides are closed; zero for no limit
	 */
	static void join(Side left, Side right, Duration idleTimeout) {
		AtomicInteger ended = new AtomicInteger();
		TcpRelay fromLeft = new TcpRelay(right.channel(), ended, left.read());
		TcpRelay fromRight = new TcpRelay(left.channel(), ended, right.read());
		if (!idleTimeout.isZero()) {
			// Before TLS: the timer sees every read and write of the connection, either direction.
			left.channel().pipeline().addFirst("idle", new IdleStateHandler(0, 0, idleTimeout.toMillis(),
					TimeUnit.MILLISECONDS));
		}
		left.channel().pipeline().addLast("relay", fromLeft);
		right.channel().pipeline().addLast("relay", fromRight);
		fromLeft.start(left);
		fromRight.start(right);
	}

	private void start(Side side) {
		if (side.ended()) {
			inputEnded(side.channel());
		}
		else {
			side.channel().read();
		}
	}

	/**
	 * Returns whether an event says a channel's input ended: a TCP FIN (with half-closure allowed) or a TLS
	 * close_notify.
	 * @param event the event
	 * @return whether the input ended
	 */
	static boolean endsInput(Object event) {
		return event == ChannelInputShutdownEvent.INSTANCE
				|| (event instanceof SslCloseCompletionEvent close && close.isSuccess());
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object message) {
		if (message instanceof ByteBuf bytes) {
			this.read.accept(bytes.readableBytes());
		}
		this.peer.writeAndFlush(message).addListener((ChannelFutureListener) (written) -> {
			if (written.isSuccess()) {
				ctx.channel().read();
			}
			else {
				closeBoth(ctx.channel());
			}
		});
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
		if (event instanceof IdleStateEvent) {
			closeBoth(ctx.channel());
			return;
		}
		if (endsInput(event)) {
			inputEnded(ctx.channel());
		}
		ctx.fireUserEventTriggered(event);
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		// What was read before the close is still delivered, then the other side is closed too.
		this.peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
		ctx.fireChannelInactive();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		closeBoth(ctx.channel());
	}

	private void inputEnded(Channel self) {
		if (this.inputEnded) {
			return;
		}
		this.inputEnded = true;
		// Shutting the output down fails writes still queued: it waits for an empty write behind them.
		this.peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) (flushed) -> {
			if (!flushed.isSuccess()) {
				closeBoth(self);
				return;
			}
			shutdownOutput(this.peer).addListener((ChannelFutureListener) (shut) -> {
				if (!shut.isSuccess() || this.ended.incrementAndGet() == 2) {
					closeBoth(self);
				}
			});
		});
	}

	private static io.netty.channel.ChannelFuture shutdownOutput(Channel channel) {
		SslHandler tls = channel.pipeline().get(SslHandler.class);
		if (tls == null) {
			return ((SocketChannel) channel).shutdownOutput();
		}
		io.netty.channel.ChannelPromise done = channel.newPromise();
		tls.closeOutbound().addListener((ChannelFutureListener) (notified) -> {
			if (notified.isSuccess()) {
				((SocketChannel) channel).shutdownOutput(done);
			}
			else {
				done.setFailure(notified.cause());
			}
		});
		return done;
	}

	private void closeBoth(Channel self) {
		self.close();
		this.peer.close();
	}

}
