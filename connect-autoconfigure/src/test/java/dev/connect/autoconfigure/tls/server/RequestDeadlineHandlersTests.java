package dev.connect.autoconfigure.tls.server;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;
import reactor.netty.NettyPipeline;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handlers on a Netty pipeline laid out as Reactor Netty's, in an embedded channel whose clock the test moves:
 * the cases the socket tests cannot time exactly. Both timeouts are 1 s.
 */
class RequestDeadlineHandlersTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	@Test
	void theIdleTimeoutStartsWhenTheHandshakeCompletesNotWhenTheConnectionIsAccepted() {
		EmbeddedChannel channel = tlsChannel();
		advance(channel, Duration.ofSeconds(5));
		assertThat(channel.isOpen()).as("during the handshake").isTrue();
		channel.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
		advance(channel, TIMEOUT.minusMillis(1));
		assertThat(channel.isOpen()).as("just before the idle timeout").isTrue();
		advance(channel, Duration.ofMillis(1));
		assertThat(channel.isOpen()).as("at the idle timeout").isFalse();
	}

	@Test
	void bytesArrivingDoNotExtendTheRequestHeaderTimeout() {
		EmbeddedChannel channel = tlsChannel();
		channel.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
		int received = 0;
		for (char c : "GET / HTTP/1.1\r\nHost: x\r\n\r\n".toCharArray()) {
			receive(channel, String.valueOf(c));
			received++;
			advance(channel, Duration.ofMillis(100));
			if (!channel.isOpen()) {
				break;
			}
		}
		assertThat(channel.isOpen()).isFalse();
		assertThat(received).as("bytes received, 100 ms apart, until the connection closed").isEqualTo(10);
	}

	@Test
	void anInformationalResponseDoesNotStartTheIdleTimeoutButTheFinalOneDoes() {
		EmbeddedChannel channel = tlsChannel();
		channel.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
		receive(channel, "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
		channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
		advance(channel, TIMEOUT.multipliedBy(5));
		assertThat(channel.isOpen()).as("after 100 Continue, while the request is handled").isTrue();
		channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
		advance(channel, TIMEOUT);
		assertThat(channel.isOpen()).as("idle after the final response").isFalse();
	}

	@Test
	void withoutAnHttp11CodecOnlyTheIdleTimeoutUpToTheFirstByteApplies() {
		EmbeddedChannel silent = h2Channel();
		silent.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
		advance(silent, TIMEOUT);
		assertThat(silent.isOpen()).as("silent after the handshake").isFalse();
		EmbeddedChannel talking = h2Channel();
		talking.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
		receive(talking, "PRI * HTTP/2.0");
		advance(talking, TIMEOUT.multipliedBy(100));
		assertThat(talking.isOpen()).as("after its first byte").isTrue();
		assertThat(talking.pipeline().get(RequestDeadlineHandlers.BYTES)).as("the bytes handler").isNull();
	}

	/** A stand-in TLS handler (so the idle timeout waits for the handshake) and Reactor Netty's HTTP/1.1 codec. */
	private static EmbeddedChannel tlsChannel() {
		EmbeddedChannel channel = new EmbeddedChannel();
		channel.freezeTime();
		channel.pipeline()
			.addLast(NettyPipeline.SslHandler, new ChannelInboundHandlerAdapter())
			.addLast(NettyPipeline.HttpCodec, new HttpServerCodec());
		RequestDeadlineHandlers.install(channel, TIMEOUT, TIMEOUT);
		return channel;
	}

	/** As with HTTP/2 negotiated: no HTTP/1.1 codec behind TLS. */
	private static EmbeddedChannel h2Channel() {
		EmbeddedChannel channel = new EmbeddedChannel();
		channel.freezeTime();
		channel.pipeline().addLast(NettyPipeline.SslHandler, new ChannelInboundHandlerAdapter());
		RequestDeadlineHandlers.install(channel, TIMEOUT, TIMEOUT);
		return channel;
	}

	private static void receive(EmbeddedChannel channel, String text) {
		channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
		channel.inboundMessages().forEach(ReferenceCountUtil::release);
		channel.inboundMessages().clear();
	}

	private static void advance(EmbeddedChannel channel, Duration time) {
		channel.advanceTimeBy(time.toNanos(), TimeUnit.NANOSECONDS);
		channel.runScheduledPendingTasks();
	}

}
