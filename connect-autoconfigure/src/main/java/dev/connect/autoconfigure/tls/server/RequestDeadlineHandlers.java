package dev.connect.autoconfigure.tls.server;

import java.time.Duration;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.netty.NettyPipeline;

/**
 * Drives {@link RequestDeadlines} from a Reactor Netty HTTP server connection with two handlers.
 * <p>
 * Reactor Netty 1.3 lays out an HTTP/1.1 TLS connection as {@code SslHandler}, {@code SslReader},
 * {@code HttpCodec}, {@code HttpTrafficHandler}, {@code ReactiveBridge}, and then what {@code doOnChannelInit}
 * appends. Handlers appended there sit behind the bridge, which consumes every inbound message, so these two are
 * placed by name instead: {@link BytesHandler} right behind the {@code SslHandler}, where it sees the decrypted bytes
 * (the first byte of a request), and {@link ExchangeHandler} right behind the {@code HttpCodec}, where it sees every
 * decoded request before the traffic handler queues pipelined ones, and every response on its way to the wire.
 */
final class RequestDeadlineHandlers {

	static final String BYTES = "connect.requestBytes";

	static final String EXCHANGES = "connect.requestExchanges";

	private static final Log logger = LogFactory.getLog(RequestDeadlineHandlers.class);

	private RequestDeadlineHandlers() {
	}

	/**
	 * Adds the handlers to a new connection's pipeline; call from {@code doOnChannelInit}, after Reactor Netty has
	 * added its own handlers.
	 * @param channel the accepted connection
	 * @param requestHeaderTimeout from the first byte of a request to its last header byte
	 * @param idleTimeout from the handshake or the last response to the first byte of the next request
	 */
	static void install(Channel channel, Duration requestHeaderTimeout, Duration idleTimeout) {
		RequestDeadlines deadlines = new RequestDeadlines(requestHeaderTimeout, idleTimeout, channel.eventLoop(),
				(reason) -> {
					if (logger.isDebugEnabled()) {
						logger.debug("Closing the connection from " + channel.remoteAddress() + ": " + reason);
					}
					channel.close();
				});
		ChannelPipeline pipeline = channel.pipeline();
		BytesHandler bytes = new BytesHandler(deadlines, addExchangeHandler(pipeline, deadlines));
		if (pipeline.get(NettyPipeline.SslHandler) != null) {
			pipeline.addAfter(NettyPipeline.SslHandler, BYTES, bytes);
		}
		else {
			// Plain connection: the connection is ready now, there is no handshake to wait for.
			pipeline.addFirst(BYTES, bytes);
			deadlines.connectionReady();
		}
	}

	/** Puts the exchange handler behind an HTTP/1.1 codec, if the pipeline has one; tells whether it did. */
	private static boolean addExchangeHandler(ChannelPipeline pipeline, RequestDeadlines deadlines) {
		if (!(pipeline.get(NettyPipeline.HttpCodec) instanceof HttpServerCodec)) {
			return false;
		}
		if (pipeline.get(EXCHANGES) == null) {
			pipeline.addAfter(NettyPipeline.HttpCodec, EXCHANGES, new ExchangeHandler(deadlines));
		}
		return true;
	}

	/**
	 * Sees the decrypted bytes: starts the idle deadline when the handshake completes and ends it at the first byte
	 * of a request.
	 */
	static final class BytesHandler extends ChannelInboundHandlerAdapter {

		private final RequestDeadlines deadlines;

		private boolean exchangesTracked;

		BytesHandler(RequestDeadlines deadlines, boolean exchangesTracked) {
			this.deadlines = deadlines;
			this.exchangesTracked = exchangesTracked;
		}

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
			if (event instanceof SslHandshakeCompletionEvent completion && completion.isSuccess()) {
				this.deadlines.connectionReady();
			}
			super.userEventTriggered(ctx, event);
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
			if (msg instanceof ByteBuf bytes && bytes.isReadable() && tracksExchanges(ctx)) {
				this.deadlines.bytesReceived();
			}
			super.channelRead(ctx, msg);
		}

		/**
		 * With HTTP/2 enabled, ALPN chooses the protocol in the handshake and only then adds the codec, so the
		 * decision is made at the first byte. HTTP/1.1 gets the exchange handler then. HTTP/2 has no HTTP/1.1
		 * codec to watch (requests are frames on streams, answered in any order), so such a connection keeps only
		 * the idle deadline up to its first byte (a connection silent after its handshake is closed), and no
		 * deadline after that.
		 */
		private boolean tracksExchanges(ChannelHandlerContext ctx) {
			if (!this.exchangesTracked) {
				this.exchangesTracked = addExchangeHandler(ctx.pipeline(), this.deadlines);
				if (!this.exchangesTracked) {
					this.deadlines.stop();
					ctx.pipeline().remove(this);
				}
			}
			return this.exchangesTracked;
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) throws Exception {
			this.deadlines.stop();
			super.channelInactive(ctx);
		}

	}

	/**
	 * Sees decoded requests and the responses written: a request ends the header deadline, and a final response
	 * that answers the last request read starts the idle deadline once it is written. Informational responses
	 * ({@code 100 Continue}, {@code 101 Switching Protocols}) answer nothing, so an upgraded connection stays
	 * untimed.
	 */
	static final class ExchangeHandler extends ChannelDuplexHandler {

		private final RequestDeadlines deadlines;

		private boolean informational;

		ExchangeHandler(RequestDeadlines deadlines) {
			this.deadlines = deadlines;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
			if (msg instanceof HttpRequest) {
				this.deadlines.requestReceived();
			}
			super.channelRead(ctx, msg);
		}

		@Override
		public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
			if (msg instanceof HttpResponse response) {
				this.informational = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
			}
			// A full response is both the HttpResponse above and its LastHttpContent.
			if (msg instanceof LastHttpContent) {
				boolean answered = !this.informational;
				this.informational = false;
				if (answered) {
					ChannelPromise written = promise.unvoid();
					written.addListener((done) -> this.deadlines.responseCompleted());
					super.write(ctx, msg, written);
					return;
				}
			}
			super.write(ctx, msg, promise);
		}

	}

}
