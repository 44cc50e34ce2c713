package dev.connect.proxy.listener;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

import dev.connect.authz.Decision;
import dev.connect.client.AgentCertificateSource;
import dev.connect.client.AgentClient;
import dev.connect.client.AgentClientSettings;
import dev.connect.test.TestMesh;
import dev.connect.tls.IdentityTrustManager;
import dev.connect.tls.SnapshotKeyManager;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The public listener on its own, with material from the real dev agent and an authorizer that allows everyone:
 * the handshake deadline, a caller without a certificate, and a caller that stops reading.
 */
class PublicListenerIntegrationTests {

	private final TestMesh mesh = TestMesh.start();

	private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

	private final ServerSocket app;

	private final AtomicInteger appConnections = new AtomicInteger();

	private final AtomicLong appWritten = new AtomicLong();

	private AgentCertificateSource echo;

	private AgentCertificateSource web;

	private PublicListener listener;

	PublicListenerIntegrationTests() throws IOException {
		this.app = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		// Small buffers on the app's and the caller's sockets keep what the kernel holds between them small.
		this.app.setReceiveBufferSize(64 * 1024);
	}

	@BeforeEach
	void start() {
		AgentClient client = AgentClient
			.create(AgentClientSettings.defaults().withAddress(URI.create(this.mesh.agentUrl())));
		this.echo = AgentCertificateSource.start(client, "echo", Clock.systemUTC());
		this.web = AgentCertificateSource.start(client, "web", Clock.systemUTC());
		this.echo.ready(Duration.ofSeconds(10)).block();
		this.web.ready(Duration.ofSeconds(10)).block();
		this.listener = PublicListener.start(this.group,
				new PublicListener.Settings(new InetSocketAddress("127.0.0.1", 0),
						(InetSocketAddress) this.app.getLocalSocketAddress(), Duration.ofMillis(1000),
						Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ZERO, 0, false),
				this.echo, (caller) -> Mono.just(new Decision(true, "test", false)),
				new dev.connect.proxy.metrics.ProxyMetrics().inbound("echo"));
		Thread acceptor = new Thread(this::serveFlood, "flooding-app");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	@AfterEach
	void stop() throws IOException {
		this.listener.close();
		this.group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
		this.app.close();
		this.echo.dispose();
		this.web.dispose();
		this.mesh.close();
	}

	@Test
	void whenACallerSendsNothingThenItIsClosedAtTheHandshakeDeadline() throws IOException {
		try (Socket idle = new Socket()) {
			idle.connect(this.listener.address());
			idle.setSoTimeout(5000);
			long started = System.nanoTime();
			assertThat(idle.getInputStream().read()).isEqualTo(-1);
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(800),
					Duration.ofMillis(3000));
		}
		assertThat(this.appConnections.get()).isZero();
	}

	@Test
	void whenACallerHasNoCertificateThenTheHandshakeFailsAndTheAppSeesNothing() throws Exception {
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(new KeyManager[0],
				new TrustManager[] { new IdentityTrustManager(this.web, IdentityTrustManager.PeerVerifier.none()) },
				null);
		try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
			socket.connect(this.listener.address());
			socket.setSoTimeout(5000);
			assertThatThrownBy(() -> {
				socket.startHandshake();
				socket.getOutputStream().write(1);
				socket.getOutputStream().flush();
				socket.getInputStream().read();
			}).isInstanceOf(IOException.class);
		}
		assertThat(this.appConnections.get()).isZero();
	}

	@Test
	void whenTheCallerStopsReadingThenTheProxyStopsReadingTheApp() throws Exception {
		try (SSLSocket caller = caller()) {
			caller.startHandshake();
			// Wait until the app's writes stall (about 4 MB of kernel buffers here): had the proxy kept reading, the app
			// would have written all of it.
			long last = -1;
			for (int i = 0; i < 50 && last != this.appWritten.get(); i++) {
				last = this.appWritten.get();
				Thread.sleep(200);
			}
			assertThat(this.appConnections.get()).isEqualTo(1);
			assertThat(this.appWritten.get()).as("bytes the app wrote while nobody read")
				.isLessThan(FLOOD / 4);
			// Reading resumes the flow.
			byte[] first = caller.getInputStream().readNBytes(1024 * 1024);
			assertThat(first).hasSize(1024 * 1024);
		}
	}

	private static final long FLOOD = 64L * 1024 * 1024;

	private SSLSocket caller() throws Exception {
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(new KeyManager[] { new SnapshotKeyManager(this.web) },
				new TrustManager[] { new IdentityTrustManager(this.web, IdentityTrustManager.PeerVerifier.none()) },
				null);
		SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
		socket.setReceiveBufferSize(64 * 1024);
		socket.connect(this.listener.address());
		socket.setSoTimeout(10_000);
		return socket;
	}

	/** Accepts connections and writes up to {@link #FLOOD} bytes to each, counting what the kernel took. */
	private void serveFlood() {
		while (!this.app.isClosed()) {
			try {
				Socket socket = this.app.accept();
				this.appConnections.incrementAndGet();
				socket.setSendBufferSize(64 * 1024);
				Thread writer = new Thread(() -> flood(socket), "flood");
				writer.setDaemon(true);
				writer.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void flood(Socket socket) {
		byte[] chunk = new byte[64 * 1024];
		try (socket; OutputStream out = socket.getOutputStream()) {
			for (long sent = 0; sent < FLOOD; sent += chunk.length) {
				out.write(chunk);
				this.appWritten.addAndGet(chunk.length);
			}
		}
		catch (IOException ex) {
			// The proxy closed the connection.
		}
	}

}
