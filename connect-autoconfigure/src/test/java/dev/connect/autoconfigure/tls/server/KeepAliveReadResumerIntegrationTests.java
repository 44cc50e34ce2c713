package dev.connect.autoconfigure.tls.server;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three requests sent back to back on one kept-alive connection to a Reactor Netty server whose first answer is
 * delayed and whose other answers are immediate: the second and third are queued behind the first. Reactor Netty
 * 1.3.6 can stop reading after answering the queued ones (reactor/reactor-netty#4361); with
 * {@link KeepAliveReadResumer} in the pipeline, every request is answered.
 */
class KeepAliveReadResumerIntegrationTests {

	@Test
	void everyRequestQueuedBehindASlowOneIsAnswered() throws Exception {
		for (int attempt = 0; attempt < 20; attempt++) {
			assertThat(answered(true)).as("answers on attempt " + attempt).isEqualTo(4);
		}
	}

	/**
	 * The upstream stall this handler exists for. When a Reactor Netty upgrade makes this fail, the bug is fixed
	 * upstream and {@link KeepAliveReadResumer} can go.
	 */
	@Test
	void withoutItReactorNettyStopsReadingAfterTheQueuedRequests() throws Exception {
		int attempts = 0;
		while (attempts < 20 && answered(false) == 4) {
			attempts++;
		}
		assertThat(attempts).as("attempts until a request was left unanswered").isLessThan(20);
	}

	/** Sends /slow and /a back to back, waits for both answers, then /b and /c back to back; returns the answers. */
	private static int answered(boolean resumer) throws Exception {
		HttpServer server = HttpServer.create().host("127.0.0.1").port(0).handle((request, response) -> response
			.sendString(request.uri().equals("/slow") ? Mono.delay(Duration.ofMillis(50)).thenReturn("slow")
					: Mono.just("fast")));
		if (resumer) {
			server = server.doOnChannelInit((observer, channel, remote) -> channel.pipeline()
				.addLast("connect.keepAliveReadResumer", new KeepAliveReadResumer()));
		}
		DisposableServer running = server.bindNow();
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), running.port())) {
			socket.setSoTimeout(2000);
			OutputStream out = socket.getOutputStream();
			out.write(("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /a HTTP/1.1\r\nHost: x\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream seen = new ByteArrayOutputStream();
			int answers = awaitAnswers(in, seen, 2);
			out.write("GET /b HTTP/1.1\r\nHost: x\r\n\r\nGET /c HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return answers + awaitAnswers(in, seen, 2);
		}
		finally {
			running.disposeNow();
		}
	}

	private static int awaitAnswers(InputStream in, ByteArrayOutputStream seen, int expected) throws Exception {
		byte[] buffer = new byte[4096];
		int before = count(seen);
		try {
			while (count(seen) - before < expected) {
				int read = in.read(buffer);
				if (read < 0) {
					break;
				}
				seen.write(buffer, 0, read);
			}
		}
		catch (SocketTimeoutException ex) {
			// The server stopped answering.
		}
		return count(seen) - before;
	}

	private static int count(ByteArrayOutputStream seen) {
		return seen.toString(StandardCharsets.US_ASCII).split("HTTP/1.1 200", -1).length - 1;
	}

}
