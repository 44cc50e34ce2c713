package dev.connect.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.Callable;

import dev.connect.test.TestMesh;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two sidecars on the real dev agent: {@code web}'s, with an upstream listener for {@code echo}, and {@code echo}'s,
 * in front of a plain TCP echo app. Real sockets, real mutual TLS.
 */
class SidecarProxyIntegrationTests {

	private final TestMesh mesh = TestMesh.start();

	private ProxyMesh.EchoApp echo;

	private SidecarProxy echoSidecar;

	private SidecarProxy webSidecar;

	private InetSocketAddress upstream;

	private int webSidecarPort;

	private int echoSidecarPort;

	@BeforeEach
	void startSidecars() throws IOException {
		this.echo = new ProxyMesh.EchoApp();
		int upstreamPort = ProxyMesh.freePort();
		this.echoSidecarPort = ProxyMesh.freePort();
		ProxyMesh.registerWithSidecar(this.mesh, "echo", this.echo.port(), this.echoSidecarPort, "");
		this.webSidecarPort = ProxyMesh.freePort();
		ProxyMesh.registerWithSidecar(this.mesh, "web", 1, this.webSidecarPort,
				"{\"DestinationName\":\"echo\",\"LocalBindPort\":" + upstreamPort + "}");
		this.echoSidecar = ProxyMesh.start(this.mesh, "echo-sidecar-proxy");
		this.webSidecar = ProxyMesh.start(this.mesh, "web-sidecar-proxy");
		this.upstream = this.webSidecar.upstreamAddresses().get("echo");
	}

	@AfterEach
	void stop() throws IOException {
		this.webSidecar.close();
		this.echoSidecar.close();
		this.echo.close();
		this.mesh.close();
	}

	@Test
	void bytesTravelThroughBothSidecarsAndBack() throws Exception {
		this.mesh.allow("web", "echo");
		assertThat(eventually(() -> exchange("hello".getBytes(StandardCharsets.US_ASCII))))
			.isEqualTo("hellobye".getBytes(StandardCharsets.US_ASCII));
		assertThat(this.upstream.getPort()).isPositive();
	}

	@Test
	void whenTheCallerHalfClosesThenTheAppStillAnswersAfterItsInputEnded() throws Exception {
		this.mesh.allow("web", "echo");
		eventually(() -> exchange(new byte[] { 1 }));
		try (Socket socket = ProxyMesh.connect(this.upstream)) {
			socket.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
			// The echo arrives while the caller's side is still open both ways.
			assertThat(socket.getInputStream().readNBytes(4)).isEqualTo("ping".getBytes(StandardCharsets.US_ASCII));
			socket.shutdownOutput();
			// The app saw the end of its input through both sidecars, and its answer after that still comes back.
			assertThat(socket.getInputStream().readAllBytes()).isEqualTo("bye".getBytes(StandardCharsets.US_ASCII));
		}
	}

	@Test
	void aFewMegabytesArriveIntactBothWays() throws Exception {
		this.mesh.allow("web", "echo");
		eventually(() -> exchange(new byte[] { 1 }));
		byte[] payload = new byte[4 * 1024 * 1024];
		new Random(17).nextBytes(payload);
		byte[] reply = exchange(payload);
		assertThat(reply).hasSize(payload.length + 3);
		assertThat(digest(Arrays.copyOf(reply, payload.length))).isEqualTo(digest(payload));
	}

	@Test
	void whenNoIntentionAllowsTheCallerThenTheAppNeverSeesAConnection() throws Exception {
		awaitHealthyEcho();
		for (int i = 0; i < 5; i++) {
			assertThat(exchange("secret".getBytes(StandardCharsets.US_ASCII))).isEmpty();
		}
		assertThat(this.echo.accepted()).isZero();
		// The same path serves the caller once an intention allows it.
		this.mesh.allow("web", "echo");
		assertThat(eventually(() -> exchange("ok".getBytes(StandardCharsets.US_ASCII))))
			.isEqualTo("okbye".getBytes(StandardCharsets.US_ASCII));
	}

	@Test
	void whenAnIntentionChangesToDenyThenOpenConnectionsOfThatCallerCloseWithinASecond() throws Exception {
		this.mesh.allow("web", "echo");
		eventually(() -> exchange(new byte[] { 1 }));
		try (Socket socket = ProxyMesh.connect(this.upstream)) {
			socket.getOutputStream().write("open".getBytes(StandardCharsets.US_ASCII));
			assertThat(socket.getInputStream().readNBytes(4)).isEqualTo("open".getBytes(StandardCharsets.US_ASCII));
			long denied = System.nanoTime();
			this.mesh.deny("web", "echo");
			// Closed by the proxy, not by the app: the app's "bye" comes only after its input ends.
			assertThat(socket.getInputStream().read()).isEqualTo(-1);
			assertThat(Duration.ofNanos(System.nanoTime() - denied)).isLessThan(Duration.ofMillis(1500));
		}
		assertThat(exchange("again".getBytes(StandardCharsets.US_ASCII))).isEmpty();
	}

	@Test
	void whenTheUpstreamsChangeThenTheListenersFollowWithoutARestart() throws Exception {
		this.mesh.allow("web", "echo");
		eventually(() -> exchange(new byte[] { 1 }));
		InetSocketAddress before = this.upstream;
		int moved = ProxyMesh.freePort();
		ProxyMesh.registerWithSidecar(this.mesh, "web", 1, this.webSidecarPort,
				"{\"DestinationName\":\"echo\",\"LocalBindPort\":" + moved + "}");
		this.upstream = new InetSocketAddress("127.0.0.1", moved);
		assertThat(eventually(() -> exchange("moved".getBytes(StandardCharsets.US_ASCII))))
			.isEqualTo("movedbye".getBytes(StandardCharsets.US_ASCII));
		assertThat(this.webSidecar.upstreamAddresses()).containsOnlyKeys("echo");
		assertThat(this.webSidecar.upstreamAddresses().get("echo").getPort()).isEqualTo(moved);
		assertThat(refusesConnections(before)).isTrue();
		ProxyMesh.registerWithSidecar(this.mesh, "web", 1, this.webSidecarPort, "");
		assertThat(eventually(() -> refusesConnections(this.upstream))).isTrue();
		assertThat(this.webSidecar.upstreamAddresses()).isEmpty();
	}

	@Test
	void whenThePublicPortChangesThenTheListenerMovesAndCallersFollow() throws Exception {
		this.mesh.allow("web", "echo");
		eventually(() -> exchange(new byte[] { 1 }));
		int moved = ProxyMesh.freePort();
		ProxyMesh.registerWithSidecar(this.mesh, "echo", this.echo.port(), moved, "");
		eventually(() -> {
			assertThat(this.echoSidecar.publicAddress().getPort()).isEqualTo(moved);
			return true;
		});
		// The old port is released once the new one is bound.
		assertThat(eventually(() -> refusesConnections(new InetSocketAddress("127.0.0.1", this.echoSidecarPort))))
			.isTrue();
		assertThat(eventually(() -> exchange("moved".getBytes(StandardCharsets.US_ASCII))))
			.isEqualTo("movedbye".getBytes(StandardCharsets.US_ASCII));
	}

	private static boolean refusesConnections(InetSocketAddress address) {
		Socket socket;
		try {
			socket = ProxyMesh.connect(address);
		}
		catch (IOException ex) {
			return true;
		}
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Closed either way.
		}
		throw new AssertionError(address + " still accepts connections");
	}

	/** Writes a payload, half-closes, and reads everything until the proxy closes (empty when refused). */
	private byte[] exchange(byte[] payload) throws IOException {
		try (Socket socket = ProxyMesh.connect(this.upstream)) {
			OutputStream out = socket.getOutputStream();
			ByteArrayOutputStream received = new ByteArrayOutputStream();
			Thread reader = new Thread(() -> {
				try (InputStream in = socket.getInputStream()) {
					in.transferTo(received);
				}
				catch (IOException ex) {
					// Reset by the proxy: what arrived is the answer.
				}
			});
			reader.start();
			try {
				out.write(payload);
				socket.shutdownOutput();
			}
			catch (IOException ex) {
				// The proxy closed before everything was written: the answer is what arrived.
			}
			join(reader);
			return received.toByteArray();
		}
	}

	private void awaitHealthyEcho() throws Exception {
		eventually(() -> {
			if (ProxyMesh.client(this.mesh).healthConnect("echo", true, 0, Duration.ZERO).block().value().isEmpty()) {
				throw new AssertionError("echo's sidecar is not passing yet");
			}
			return true;
		});
		// The upstream's own watch sees the same answer within its next round.
		Thread.sleep(500);
	}

	private static void join(Thread thread) {
		try {
			thread.join(15_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static <T> T eventually(Callable<T> attempt) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (true) {
			try {
				T value = attempt.call();
				if (!(value instanceof byte[] bytes) || bytes.length > 0) {
					return value;
				}
				if (System.nanoTime() > deadline) {
					return value;
				}
			}
			catch (Exception | AssertionError ex) {
				if (System.nanoTime() > deadline) {
					throw ex;
				}
			}
			Thread.sleep(100);
		}
	}

	private static byte[] digest(byte[] bytes) throws Exception {
		return MessageDigest.getInstance("SHA-256").digest(bytes);
	}

}
