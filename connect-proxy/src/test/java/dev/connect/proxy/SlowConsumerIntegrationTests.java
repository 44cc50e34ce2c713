package dev.connect.proxy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.connect.test.TestMesh;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A caller that stops reading while the app floods it, through two sidecars: {@code web}'s runs as a child JVM with a
 * 40 MB heap and 32 MB of direct memory, {@code echo}'s in this one. The app's writes stall far below what it has to
 * send, the child survives, and once the caller reads again every byte arrives.
 */
class SlowConsumerIntegrationTests {

	/** More than the child's heap and direct memory together: buffering it all would end the child. */
	private static final long FLOOD = 96L * 1024 * 1024;

	private final TestMesh mesh = TestMesh.start();

	private Process child;

	@AfterEach
	void stop() {
		if (this.child != null) {
			this.child.destroy();
		}
		this.mesh.close();
	}

	@ParameterizedTest(name = "BoringSSL: {0}")
	@ValueSource(booleans = { false, true })
	void aCallerThatStopsReadingStallsTheAppAndTheProxysMemoryStaysBounded(boolean boringSsl) throws Exception {
		try (Flood app = new Flood()) {
			int upstreamPort = ProxyMesh.freePort();
			ProxyMesh.registerWithSidecar(this.mesh, "echo", app.port(), ProxyMesh.freePort(), "");
			ProxyMesh.registerWithSidecar(this.mesh, "web", 1, ProxyMesh.freePort(),
					"{\"DestinationName\":\"echo\",\"LocalBindPort\":" + upstreamPort + "}");
			this.mesh.allow("web", "echo");
			try (SidecarProxy echoSide = ProxyMesh.start(this.mesh, "echo-sidecar-proxy", boringSsl)) {
				assertThat(echoSide.tlsProvider()).isEqualTo(boringSsl ? "BoringSSL" : "JDK");
				this.child = startChild("web-sidecar-proxy", boringSsl);
				Socket socket = SidecarProxyIntegrationTests.eventually(() -> {
					Socket attempt = ProxyMesh.connect(new InetSocketAddress("127.0.0.1", upstreamPort));
					if (attempt.getInputStream().read() < 0) {
						attempt.close();
						throw new IOException("not routed yet");
					}
					return attempt;
				});
				try (socket) {
					// The caller reads nothing more until the app's writes stop moving.
					long stalled = awaitStall(app.written());
					assertThat(stalled).as("bytes the app could write while the caller did not read")
						.isLessThan(24L * 1024 * 1024);
					assertThat(this.child.isAlive()).isTrue();
					socket.setSoTimeout(60_000);
					long read = 1 + drain(socket.getInputStream());
					assertThat(read).isEqualTo(FLOOD);
					assertThat(this.child.isAlive()).isTrue();
				}
				assertThat(echoSide.publicAddress()).isNotNull();
			}
		}
	}

	private static long awaitStall(AtomicLong written) throws InterruptedException {
		long last = -1;
		int still = 0;
		for (int i = 0; i < 600 && still < 5; i++) {
			Thread.sleep(200);
			long now = written.get();
			still = (now == last) ? still + 1 : 0;
			last = now;
		}
		return last;
	}

	private static long drain(InputStream in) throws IOException {
		byte[] buffer = new byte[64 * 1024];
		long total = 0;
		for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
			total += n;
		}
		return total;
	}

	private Process startChild(String proxyId, boolean boringSsl) throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process process = new ProcessBuilder(java, "-Xmx40m", "-XX:MaxDirectMemorySize=32m", "-cp",
				System.getProperty("java.class.path"), ProxyMain.class.getName(), "-proxy-id", proxyId, "-http-addr",
				this.mesh.agentUrl(), "-tls-provider", boringSsl ? "boringssl" : "jdk")
			.redirectErrorStream(true)
			.start();
		CountDownLatch running = new CountDownLatch(1);
		AtomicReference<String> runningLine = new AtomicReference<>("");
		ProxyMesh.daemon(() -> {
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				for (String line = lines.readLine(); line != null; line = lines.readLine()) {
					if (line.startsWith("==> Connect proxy running")) {
						runningLine.set(line);
						running.countDown();
					}
				}
			}
			catch (IOException ex) {
				// The child ended.
			}
		});
		assertThat(running.await(30, TimeUnit.SECONDS)).as("the child proxy started").isTrue();
		assertThat(runningLine.get()).contains(boringSsl ? "TLS BoringSSL" : "TLS JDK");
		return process;
	}

	/** An app that writes {@link #FLOOD} bytes to every connection as fast as it can, counting what it wrote. */
	private static final class Flood implements AutoCloseable {

		private final ServerSocket server;

		private final AtomicLong written = new AtomicLong();

		Flood() throws IOException {
			this.server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
			this.server.setReceiveBufferSize(64 * 1024);
			ProxyMesh.daemon(() -> {
				while (!this.server.isClosed()) {
					try {
						Socket socket = this.server.accept();
						ProxyMesh.daemon(() -> flood(socket));
					}
					catch (IOException ex) {
						return;
					}
				}
			});
		}

		int port() {
			return this.server.getLocalPort();
		}

		AtomicLong written() {
			return this.written;
		}

		private void flood(Socket socket) {
			try (socket; OutputStream out = socket.getOutputStream()) {
				socket.setSendBufferSize(64 * 1024);
				byte[] chunk = new byte[16 * 1024];
				for (long sent = 0; sent < FLOOD; sent += chunk.length) {
					out.write(chunk);
					this.written.addAndGet(chunk.length);
				}
			}
			catch (IOException ex) {
				// The caller went away.
			}
		}

		@Override
		public void close() throws IOException {
			this.server.close();
		}

	}

}
