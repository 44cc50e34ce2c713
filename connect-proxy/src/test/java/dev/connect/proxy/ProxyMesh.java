package dev.connect.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.connect.client.AgentClient;
import dev.connect.client.AgentClientSettings;
import dev.connect.test.TestMesh;

/** What the proxy's socket tests share: registrations on the test mesh's agent, free ports and an echo app. */
final class ProxyMesh {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private ProxyMesh() {
	}

	static AgentClient client(TestMesh mesh) {
		return AgentClient.create(AgentClientSettings.defaults().withAddress(URI.create(mesh.agentUrl())));
	}

	static void register(TestMesh mesh, String json) {
		try {
			HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(mesh.agentUrl()
					+ "/v1/agent/service/register")).PUT(HttpRequest.BodyPublishers.ofString(json)).build(),
					HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("Registration refused: " + response.body());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Registers an app with a sidecar on a given port, whose TCP check runs every 200 ms so that the sidecar turns
	 * passing as soon as its public listener is up.
	 */
	static void registerWithSidecar(TestMesh mesh, String name, int appPort, int sidecarPort, String upstreams) {
		register(mesh, """
				{"Name":"%s","ID":"%s","Port":%d,"Connect":{"SidecarService":{"Port":%d,"Address":"127.0.0.1",
				 "Checks":[{"Name":"Connect Sidecar Listening","TCP":"127.0.0.1:%d","Interval":"200ms"}],
				 "Proxy":{"Config":{"handshake_timeout_ms":2000.0},"Upstreams":[%s]}}}}"""
			.formatted(name, name, appPort, sidecarPort, sidecarPort, upstreams));
	}

	static SidecarProxy start(TestMesh mesh, String proxyId) {
		return SidecarProxy.start(client(mesh), proxyId, Clock.systemUTC(), Duration.ofSeconds(10));
	}

	/** Starts the proxy with BoringSSL ({@code -tls-provider boringssl}) or the JDK's TLS (the default). */
	static SidecarProxy start(TestMesh mesh, String proxyId, boolean boringSsl) {
		return SidecarProxy.start(client(mesh), proxyId, Clock.systemUTC(), Duration.ofSeconds(10), null,
				new dev.connect.proxy.metrics.ProxyMetrics(), boringSsl);
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A TCP app that echoes what it reads and, once its input ends, writes {@code bye} and closes: the word only
	 * arrives when half-close travels both ways.
	 */
	static final class EchoApp implements AutoCloseable {

		private final ServerSocket server;

		private final AtomicInteger accepted = new AtomicInteger();

		EchoApp() throws IOException {
			this.server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
			daemon(this::accept);
		}

		int port() {
			return this.server.getLocalPort();
		}

		int accepted() {
			return this.accepted.get();
		}

		private void accept() {
			while (!this.server.isClosed()) {
				try {
					Socket socket = this.server.accept();
					this.accepted.incrementAndGet();
					daemon(() -> echo(socket));
				}
				catch (IOException ex) {
					return;
				}
			}
		}

		private static void echo(Socket socket) {
			try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
				in.transferTo(out);
				out.write("bye".getBytes(StandardCharsets.US_ASCII));
				out.flush();
			}
			catch (IOException ex) {
				// The peer went away: nothing to echo.
			}
		}

		@Override
		public void close() throws IOException {
			this.server.close();
		}

	}

	static void daemon(Runnable task) {
		Thread thread = new Thread(task, "proxy-test");
		thread.setDaemon(true);
		thread.start();
	}

	static Socket connect(InetSocketAddress address) throws IOException {
		Socket socket = new Socket();
		socket.connect(address, 5000);
		socket.setSoTimeout(10_000);
		return socket;
	}

}
