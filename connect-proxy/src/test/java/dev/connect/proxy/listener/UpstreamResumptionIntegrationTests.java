package dev.connect.proxy.listener;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

import dev.connect.client.AgentClient;
import dev.connect.client.AgentClientSettings;
import dev.connect.identity.ServiceIdentity;
import dev.connect.mesh.UpstreamAddressBook;
import dev.connect.pki.SvidValidator;
import dev.connect.proxy.metrics.ProxyMetrics;
import dev.connect.proxy.upstream.UpstreamResolver;
import dev.connect.test.ChangingCertificateSource;
import dev.connect.test.HeldSvid;
import dev.connect.test.SvidAuthority;
import dev.connect.test.TestMesh;
import dev.connect.tls.CertificateSnapshot;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS session resumption at an upstream listener, with the JDK's TLS and with BoringSSL: the listener resumes its
 * session with an instance, also for connections opened at the same time, but once the instance's leaf has expired a
 * resumed session (which checks no certificate) is refused and the instance gets no byte. The instance is a JDK TLS server registered as {@code echo} on the real
 * dev agent, holding a leaf that expires seconds after the first handshake; it counts its full handshakes (its trust
 * manager runs only in those). Leaves and roots come from one {@link SvidAuthority} in the agent's trust domain.
 */
class UpstreamResumptionIntegrationTests {

	private final TestMesh mesh = TestMesh.start();

	private final SvidAuthority ca = SvidAuthority.builder().trustDomain(this.mesh.trustDomain()).build();

	private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

	private final ProxyMetrics metrics = new ProxyMetrics();

	private final AtomicInteger instanceHandshakes = new AtomicInteger();

	private final AtomicLong instanceReceived = new AtomicLong();

	private SSLServerSocket instance;

	private UpstreamResolver resolver;

	private UpstreamListener listener;

	@AfterEach
	void stop() throws IOException {
		if (this.listener != null) {
			this.listener.close();
		}
		if (this.resolver != null) {
			this.resolver.close();
		}
		if (this.instance != null) {
			this.instance.close();
		}
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
		this.mesh.close();
	}

	@ParameterizedTest(name = "BoringSSL: {0}")
	@ValueSource(booleans = { false, true })
	void aResumedSessionWithAnInstanceWhoseLeafExpiredSinceGetsNoByte(boolean boringSsl) throws Exception {
		// Certificates carry whole seconds: the leaf ends at the start of a second at least 5 s from now.
		Instant notAfter = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 6);
		startInstance(leaf("echo", notAfter));
		InetSocketAddress upstream = startListener(boringSsl);
		// One connection per session cache, so that each holds a session.
		for (int i = 0; i < UpstreamListener.SESSION_CACHES; i++) {
			assertThat(exchange(upstream, "a")).as("the first connections").isEqualTo("a\n");
		}
		assertThat(exchange(upstream, "b")).as("a resumed session before the instance's not-after").isEqualTo("b\n");
		assertThat(this.instanceHandshakes.get()).as("the last connection resumed a session")
			.isEqualTo(UpstreamListener.SESSION_CACHES);
		Thread.sleep(Math.max(0, Duration.between(Instant.now(), notAfter).toMillis() + 1_100));
		assertThat(exchange(upstream, "secret")).as("after the instance's not-after").isEmpty();
		assertThat(this.instanceReceived.get()).as("bytes the instance received")
			.isEqualTo(2 * (UpstreamListener.SESSION_CACHES + 1));
		assertThat(this.metrics.scrape())
			.containsPattern("upstream_refused_total\\{dst=\"echo\",dst_type=\"service\",reason=\"handshake\",src=\"web\"\\} 1(\\.0)?\n");
	}

	@ParameterizedTest(name = "BoringSSL: {0}")
	@ValueSource(booleans = { false, true })
	void connectionsOpenedAtTheSameTimeToOneInstanceResumeTheirSessions(boolean boringSsl) throws Exception {
		startInstance(leaf("echo", Instant.now().plusSeconds(3600)));
		InetSocketAddress upstream = startListener(boringSsl);
		// One connection per session cache, one by one, so that each holds a session; then 8 at once.
		for (int i = 0; i < UpstreamListener.SESSION_CACHES; i++) {
			assertThat(exchange(upstream, "s" + i)).isEqualTo("s" + i + "\n");
		}
		int connections = 8;
		int before = this.instanceHandshakes.get();
		ExecutorService callers = Executors.newFixedThreadPool(connections);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<String>> answers = new ArrayList<>();
			for (int i = 0; i < connections; i++) {
				String text = "c" + i;
				answers.add(callers.submit(() -> {
					start.await();
					return exchange(upstream, text);
				}));
			}
			start.countDown();
			for (int i = 0; i < connections; i++) {
				assertThat(answers.get(i).get(20, TimeUnit.SECONDS)).isEqualTo("c" + i + "\n");
			}
		}
		finally {
			callers.shutdownNow();
		}
		assertThat(this.instanceHandshakes.get() - before)
			.as("full handshakes among %d connections opened at once", connections)
			.isZero();
	}

	private InetSocketAddress startListener(boolean boringSsl) {
		UpstreamAddressBook addresses = new UpstreamAddressBook();
		AgentClient client = AgentClient
			.create(AgentClientSettings.defaults().withAddress(URI.create(this.mesh.agentUrl())));
		this.resolver = UpstreamResolver.start(client, "echo", addresses);
		HeldSvid web = leaf("web", Instant.now().plusSeconds(3600));
		List<X509Certificate> roots = List.of(this.ca.root().certificate());
		ChangingCertificateSource source = new ChangingCertificateSource(new CertificateSnapshot(1,
				ServiceIdentity.of(this.ca.trustDomain(), "dc1", "web"), List.of(web.certificate()),
				web.keyPair().getPrivate(), roots, this.ca.trustDomain(), SvidValidator.of(roots, Clock.systemUTC())));
		this.listener = UpstreamListener.start(this.group, new InetSocketAddress("127.0.0.1", 0), this.resolver, source,
				addresses, Duration.ofSeconds(2), Duration.ZERO, this.metrics.upstream("web", "echo"), boringSsl);
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (this.resolver.pick(null) == null && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		assertThat(this.resolver.pick(null)).as("the instance, from the agent's health endpoint").isNotNull();
		return this.listener.address();
	}

	private void startInstance(HeldSvid leaf) throws Exception {
		SSLContext context = SSLContext.getInstance("TLS");
		X509ExtendedTrustManager roots = (X509ExtendedTrustManager) this.ca.trustManagerFactory().getTrustManagers()[0];
		context.init(leaf.keyManagerFactory().getKeyManagers(),
				new TrustManager[] { new CountingTrustManager(roots, this.instanceHandshakes) }, null);
		this.instance = (SSLServerSocket) context.getServerSocketFactory()
			.createServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.instance.setNeedClientAuth(true);
		Thread acceptor = new Thread(this::serve, "instance");
		acceptor.setDaemon(true);
		acceptor.start();
		register("""
				{"Name":"echo","ID":"echo-1","Port":%d,"Address":"127.0.0.1","Connect":{"Native":true}}"""
			.formatted(this.instance.getLocalPort()));
	}

	/**
	 * Echoes each connection's first line and closes it, each on its own thread. (Not until the caller ends its side:
	 * Netty's OpenSSL engine does not pass a half-close through, see docs/sidecar-proxy.md.)
	 */
	private void serve() {
		while (!this.instance.isClosed()) {
			try {
				Socket accepted = this.instance.accept();
				Thread echo = new Thread(() -> echoLine(accepted), "instance-connection");
				echo.setDaemon(true);
				echo.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void echoLine(Socket accepted) {
		try (Socket socket = accepted; InputStream in = socket.getInputStream()) {
			socket.setSoTimeout(5000);
			StringBuilder line = new StringBuilder();
			for (int b = in.read(); b >= 0; b = in.read()) {
				this.instanceReceived.incrementAndGet();
				line.append((char) b);
				if (b == '\n') {
					break;
				}
			}
			socket.getOutputStream().write(line.toString().getBytes(StandardCharsets.US_ASCII));
		}
		catch (IOException ex) {
			// A refused handshake or a closed connection.
		}
	}

	private HeldSvid leaf(String service, Instant notAfter) {
		return this.ca.leaf(service).validity(Instant.now().minusSeconds(60), notAfter).build();
	}

	private void register(String json) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.mesh.agentUrl() + "/v1/agent/service/register"))
				.PUT(HttpRequest.BodyPublishers.ofString(json))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
	}

	/** Sends a line and reads the answer until the end ("" when the listener refused). */
	private static String exchange(InetSocketAddress upstream, String text) throws IOException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		try (Socket socket = new Socket()) {
			socket.connect(upstream, 2000);
			socket.setSoTimeout((int) Duration.ofNanos(deadline - System.nanoTime()).toMillis());
			socket.getOutputStream().write((text + "\n").getBytes(StandardCharsets.US_ASCII));
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			return "";
		}
	}

}
