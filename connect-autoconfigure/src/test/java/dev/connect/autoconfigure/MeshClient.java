package dev.connect.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

import dev.connect.identity.SpiffeId;
import dev.connect.tls.CertificateSource;
import dev.connect.tls.IdentityTrustManager;
import dev.connect.tls.SnapshotKeyManager;

/**
 * A test client that calls a mesh server over real TLS with a given identity and records who answered. It speaks
 * plain HTTP/1.1 over an {@link SSLSocket}: every TLS decision is made by the mesh managers under test.
 */
public final class MeshClient {

	private final SSLContext context;

	private final AtomicReference<SpiffeId> server = new AtomicReference<>();

	public MeshClient(CertificateSource identity) throws Exception {
		this.context = SSLContext.getInstance("TLS");
		this.context.init((identity.current() != null) ? new KeyManager[] { new SnapshotKeyManager(identity) }
				: new KeyManager[0],
				new TrustManager[] { new IdentityTrustManager(identity, (peer, role, engine) -> this.server.set(peer)) },
				null);
	}

	/** Sends {@code GET path} and returns the status line and body. */
	public Response get(int port, String path) throws IOException {
		return send("GET", port, path);
	}

	/** Sends {@code POST path} with an empty body and returns the status line and body. */
	public Response post(int port, String path) throws IOException {
		return send("POST", port, path);
	}

	/**
	 * Sends a request with the method, request-target and header lines exactly as given (nothing normalized).
	 * @param headers header lines such as {@code "X-Env: prod"}
	 */
	public Response request(String method, int port, String target, String... headers) throws IOException {
		return send(method, port, target, headers);
	}

	private Response send(String method, int port, String path, String... headers) throws IOException {
		try (SSLSocket socket = (SSLSocket) this.context.getSocketFactory()
			.createSocket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(10_000);
			socket.startHandshake();
			X509Certificate presented = (X509Certificate) socket.getSession().getPeerCertificates()[0];
			OutputStream out = socket.getOutputStream();
			StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: mesh\r\n");
			for (String header : headers) {
				head.append(header).append("\r\n");
			}
			out.write((head + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			String raw = new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);
			int status = Integer.parseInt(raw.substring(9, 12));
			int bodyStart = raw.indexOf("\r\n\r\n");
			return new Response(status, (bodyStart >= 0) ? raw.substring(bodyStart + 4) : "", presented);
		}
	}

	/** Opens a kept-alive connection for several requests. */
	public KeptAlive open(int port) throws IOException {
		SSLSocket socket = (SSLSocket) this.context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
		socket.setSoTimeout(10_000);
		socket.startHandshake();
		return new KeptAlive(socket);
	}

	public SpiffeId lastServer() {
		return this.server.get();
	}

	private static byte[] readAll(InputStream in) throws IOException {
		return in.readAllBytes();
	}

	public record Response(int status, String body, X509Certificate serverLeaf) {
	}

	/** One TLS connection carrying several HTTP/1.1 requests. */
	public static final class KeptAlive implements AutoCloseable {

		private final SSLSocket socket;

		private int requests;

		KeptAlive(SSLSocket socket) {
			this.socket = socket;
		}

		public Response get(String path) throws IOException {
			OutputStream out = this.socket.getOutputStream();
			out.write(("GET " + path + " HTTP/1.1\r\nHost: mesh\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = this.socket.getInputStream();
			String head = readHead(in);
			int status = Integer.parseInt(head.substring(9, 12));
			int length = 0;
			for (String line : head.split("\r\n")) {
				if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
					length = Integer.parseInt(line.substring(15).trim());
				}
			}
			String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
			this.requests++;
			return new Response(status, body, (X509Certificate) this.socket.getSession().getPeerCertificates()[0]);
		}

		public int requests() {
			return this.requests;
		}

		private static String readHead(InputStream in) throws IOException {
			StringBuilder head = new StringBuilder();
			while (!head.toString().endsWith("\r\n\r\n")) {
				int c = in.read();
				if (c == -1) {
					throw new IOException("connection closed");
				}
				head.append((char) c);
			}
			return head.toString();
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

}
