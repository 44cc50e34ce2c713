package dev.connect.autoconfigure.tls.server;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Asks the channel for the next read once a response has been written, so that a kept-alive connection always
 * reads the caller's next request.
 * <p>
 * Works around reactor/reactor-netty#4361 (present in Reactor Netty 1.3.6, the version Spring Boot 4.0.7 manages):
 * the HTTP/1.1 server reads on demand, and when a request arrives before the previous exchange has terminated it is
 * queued; if the queued request is answered at once, the queue can drain without anyone asking for the next read,
 * and the connection then never reads another request. The caller's next request hangs until its own timeout. The
 * mesh makes this likely: a denied request is answered at once, and a mesh client sends its next request the
 * moment it has the previous answer. One extra read request per response is harmless: the server queues any request
 * that arrives while another is in progress.
 */
final class KeepAliveReadResumer extends ChannelDuplexHandler {

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
		if (msg instanceof LastHttpContent) {
			ChannelPromise written = promise.unvoid();
			written.addListener((done) -> {
				if (ctx.channel().isActive()) {
					ctx.channel().eventLoop().execute(() -> {
						if (ctx.channel().isActive()) {
							ctx.read();
						}
					});
				}
			});
			super.write(ctx, msg, written);
			return;
		}
		super.write(ctx, msg, promise);
	}

}
