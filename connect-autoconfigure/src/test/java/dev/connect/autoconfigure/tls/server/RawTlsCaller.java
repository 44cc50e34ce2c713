package dev.connect.autoconfigure.tls.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

import dev.connect.tls.CertificateSource;
import dev.connect.tls.IdentityTrustManager;
import dev.connect.tls.SnapshotKeyManager;

/**
 * One mutual-TLS connection to a mesh server where the test decides every byte and when it is sent: all at once, or
 * one byte at a time from a background thread. The handshake is made by the mesh's own key and trust managers.
 */
final class RawTlsCaller implements AutoCloseable {

	private final SSLSocket socket;

	private final long handshakeDone;

	private final AtomicInteger trickled = new AtomicInteger();

	private volatile long firstTrickled;

	private volatile boolean trickleFinished;

	private Thread trickler;

	private RawTlsCaller(SSLSocket socket) {
		this.socket = socket;
		this.handshakeDone = System.nanoTime();
	}

	/** Connects to the port on the loopback address as the source's identity and completes the handshake. */
	static RawTlsCaller connect(CertificateSource identity, int port) throws Exception {
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(new KeyManager[] { new SnapshotKeyManager(identity) },
				new TrustManager[] { new IdentityTrustManager(identity, IdentityTrustManager.PeerVerifier.none()) },
				null);
		SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
		socket.setSoTimeout(10_000);
		socket.startHandshake();
		return new RawTlsCaller(socket);
	}

	/** Sends the text at once. */
	void send(String text) throws IOException {
		OutputStream out = this.socket.getOutputStream();
		out.write(text.getBytes(StandardCharsets.US_ASCII));
		out.flush();
	}

	/**
	 * Sends the text one byte (one TLS record) at a time from a background thread, pausing between bytes, until it
	 * is all sent or the connection fails.
	 */
	void trickle(String text, Duration pause) {
		byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
		this.trickler = new Thread(() -> {
			try {
				OutputStream out = this.socket.getOutputStream();
				for (byte b : bytes) {
					if (this.trickled.get() == 0) {
						this.firstTrickled = System.nanoTime();
					}
					out.write(b);
					out.flush();
					this.trickled.incrementAndGet();
					Thread.sleep(pause.toMillis());
				}
				this.trickleFinished = true;
			}
			catch (IOException | InterruptedException ex) {
				// The connection closed, or the test is over.
			}
		}, "trickle-" + this.socket.getLocalPort());
		this.trickler.setDaemon(true);
		this.trickler.start();
	}

	/** Bytes the trickling thread has written so far. */
	int trickled() {
		return this.trickled.get();
	}

	/** Whether the trickling thread wrote every byte. */
	boolean trickleFinished() {
		return this.trickleFinished;
	}

	/** Reads one response: its status, and its body by Content-Length. */
	Response readResponse() throws IOException {
		InputStream in = this.socket.getInputStream();
		StringBuilder head = new StringBuilder();
		while (!head.toString().endsWith("\r\n\r\n")) {
			int c = in.read();
			if (c == -1) {
				throw new IOException("connection closed after " + head.length() + " bytes of a response head");
			}
			head.append((char) c);
		}
		int length = 0;
		for (String line : head.toString().split("\r\n")) {
			if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
				length = Integer.parseInt(line.substring(15).trim());
			}
		}
		return new Response(Integer.parseInt(head.substring(9, 12)),
				new String(in.readNBytes(length), StandardCharsets.UTF_8));
	}

	/**
	 * Waits until the server closes the connection, reading (and keeping) whatever it sends meanwhile.
	 * @param limit how long to wait at most
	 * @return when and after what the connection closed, or {@code null} if it was still open at the limit
	 */
	Closed awaitClose(Duration limit) throws IOException {
		this.socket.setSoTimeout((int) limit.toMillis());
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		InputStream in = this.socket.getInputStream();
		try {
			int read;
			byte[] buffer = new byte[1024];
			while ((read = in.read(buffer)) != -1) {
				received.write(buffer, 0, read);
			}
		}
		catch (SocketTimeoutException ex) {
			return null;
		}
		catch (IOException ex) {
			// Reset by the server: closed as well.
		}
		long closed = System.nanoTime();
		return new Closed(Duration.ofNanos(closed - this.handshakeDone),
				(this.trickled.get() > 0) ? Duration.ofNanos(closed - this.firstTrickled) : null,
				received.toString(StandardCharsets.US_ASCII));
	}

	@Override
	public void close() throws IOException {
		if (this.trickler != null) {
			this.trickler.interrupt();
		}
		this.socket.close();
	}

	record Response(int status, String body) {
	}

	/**
	 * A connection the server closed.
	 * @param afterHandshake time from the end of the client's handshake to the close
	 * @param afterFirstTrickledByte time from the first trickled byte to the close, {@code null} when none was
	 * @param received what the server sent before closing
	 */
	record Closed(Duration afterHandshake, Duration afterFirstTrickledByte, String received) {
	}

}
