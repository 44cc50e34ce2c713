package dev.connect.proxy.listener;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

import dev.connect.authz.Decision;
import dev.connect.identity.ServiceIdentity;
import dev.connect.pki.SvidValidator;
import dev.connect.proxy.metrics.ProxyMetrics;
import dev.connect.test.ChangingCertificateSource;
import dev.connect.test.HeldSvid;
import dev.connect.test.SvidAuthority;
import dev.connect.tls.CertificateSnapshot;
import dev.connect.tls.CertificateSource;
import dev.connect.tls.IdentityTrustManager;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS session resumption at the public listener, with the JDK's TLS and with BoringSSL, over real sockets. A resumed
 * session checks no certificate, so: a caller resumes within one snapshot of the listener's material, but not across
 * a new one (new roots, a new leaf), and a caller whose leaf expired after its first handshake is refused on its
 * resumed session before the app is dialled. The caller is a JDK client that counts its full handshakes (its trust
 * manager runs only in those), which shows the second connection really was a resumption. The leaves come from one
 * {@link SvidAuthority}: the dev agent does not issue leaves that expire within seconds.
 */
class PublicListenerResumptionIntegrationTests {

	private final SvidAuthority ca = SvidAuthority.builder().trustDomain("11111111-2222-3333-4444-555555555555.consul")
		.build();

	private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

	private final ProxyMetrics metrics = new ProxyMetrics();

	private final AtomicInteger appConnections = new AtomicInteger();

	private @Nullable ServerSocket app;

	private @Nullable PublicListener listener;

	@AfterEach
	void stop() throws IOException {
		if (this.listener != null) {
			this.listener.close();
		}
		if (this.app != null) {
			this.app.close();
		}
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
	}

	@ParameterizedTest(name = "BoringSSL: {0}")
	@ValueSource(booleans = { false, true })
	void aResumedSessionWhoseLeafExpiredSinceIsRefusedBeforeTheAppIsDialled(boolean boringSsl) throws Exception {
		PublicListener listener = start(new ChangingCertificateSource(snapshot(1, "echo", leaf("echo", Instant.now().plusSeconds(3600)))),
				boringSsl);
		// Certificates carry whole seconds: the leaf ends at the start of a second at least 3 s from now.
		Instant notAfter = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 4);
		Caller web = new Caller("web", leaf("web", notAfter));
		assertThat(web.call(listener)).as("the first connection").isEqualTo(42);
		assertThat(web.call(listener)).as("a resumed session before the leaf's not-after").isEqualTo(42);
		assertThat(web.fullHandshakes()).as("the second connection resumed the first one's session").isEqualTo(1);
		Thread.sleep(Math.max(0, Duration.between(Instant.now(), notAfter).toMillis() + 1_100));
		assertThat(web.call(listener)).as("a resumed session after the leaf's not-after").isEqualTo(-1);
		assertThat(web.fullHandshakes()).as("the refused connection was a resumption too").isEqualTo(1);
		assertThat(this.appConnections.get()).as("connections the app saw").isEqualTo(2);
		assertThat(this.metrics.scrape())
			.containsPattern("inbound_refused_total\\{dst=\"echo\",reason=\"handshake\"\\} 1(\\.0)?\n");
	}

	@ParameterizedTest(name = "BoringSSL: {0}")
	@ValueSource(booleans = { false, true })
	void noSessionMadeBeforeNewMaterialIsResumed(boolean boringSsl) throws Exception {
		HeldSvid echoLeaf = leaf("echo", Instant.now().plusSeconds(3600));
		ChangingCertificateSource echo = new ChangingCertificateSource(snapshot(1, "echo", echoLeaf));
		PublicListener listener = start(echo, boringSsl);
		Caller web = new Caller("web", leaf("web", Instant.now().plusSeconds(3600)));
		assertThat(web.call(listener)).isEqualTo(42);
		assertThat(web.call(listener)).isEqualTo(42);
		assertThat(web.fullHandshakes()).as("resumed within one snapshot").isEqualTo(1);
		// What a root rotation publishes first: the same leaf, and a second root next to the first.
		SvidAuthority next = SvidAuthority.builder().trustDomain(this.ca.trustDomain().toString()).build();
		echo.publish(new CertificateSnapshot(2, echo.current().identity(), List.of(echoLeaf.certificate()),
				echoLeaf.keyPair().getPrivate(), List.of(this.ca.root().certificate(), next.root().certificate()),
				this.ca.trustDomain(),
				SvidValidator.of(List.of(this.ca.root().certificate(), next.root().certificate()), Clock.systemUTC())));
		assertThat(web.call(listener)).isEqualTo(42);
		assertThat(web.fullHandshakes()).as("a full handshake after the listener's material changed").isEqualTo(2);
		assertThat(web.call(listener)).isEqualTo(42);
		assertThat(web.fullHandshakes()).as("resumed again within the new snapshot").isEqualTo(2);
	}

	private PublicListener start(CertificateSource source, boolean boringSsl) throws IOException {
		this.app = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		ServerSocket app = this.app;
		Thread acceptor = new Thread(() -> {
			while (!app.isClosed()) {
				try (Socket socket = app.accept()) {
					this.appConnections.incrementAndGet();
					socket.getOutputStream().write(42);
				}
				catch (IOException ex) {
					return;
				}
			}
		}, "app");
		acceptor.setDaemon(true);
		acceptor.start();
		this.listener = PublicListener.start(this.group,
				new PublicListener.Settings(new InetSocketAddress("127.0.0.1", 0),
						(InetSocketAddress) app.getLocalSocketAddress(), Duration.ofSeconds(2), Duration.ofSeconds(2),
						Duration.ofSeconds(1), Duration.ZERO, 0, boringSsl),
				source, (caller) -> Mono.just(new Decision(true, "test", false)), this.metrics.inbound("echo"));
		assertThat(this.listener.tlsProvider()).isEqualTo(boringSsl ? "BoringSSL" : "JDK");
		return this.listener;
	}

	private HeldSvid leaf(String service, Instant notAfter) {
		return this.ca.leaf(service).validity(Instant.now().minusSeconds(60), notAfter).build();
	}

	private CertificateSnapshot snapshot(long generation, String service, HeldSvid leaf) {
		List<X509Certificate> roots = List.of(this.ca.root().certificate());
		return new CertificateSnapshot(generation, ServiceIdentity.of(this.ca.trustDomain(), "dc1", service),
				List.of(leaf.certificate()), leaf.keyPair().getPrivate(), roots, this.ca.trustDomain(),
				SvidValidator.of(roots, Clock.systemUTC()));
	}

	/** A JDK TLS client holding one leaf, with one session cache for all its connections. */
	private final class Caller {

		private final SSLContext context;

		private final AtomicInteger fullHandshakes = new AtomicInteger();

		Caller(String service, HeldSvid leaf) throws Exception {
			IdentityTrustManager verifier = new IdentityTrustManager(new ChangingCertificateSource(snapshot(1, service, leaf)),
					IdentityTrustManager.PeerVerifier.none());
			this.context = SSLContext.getInstance("TLS");
			this.context.init(leaf.keyManagerFactory().getKeyManagers(),
					new TrustManager[] { new CountingTrustManager(verifier, this.fullHandshakes) }, null);
		}

		/** Connects, reads one byte (-1 when the listener closed the connection) and closes. */
		int call(PublicListener listener) throws IOException {
			try (SSLSocket socket = (SSLSocket) this.context.getSocketFactory()
				.createSocket("127.0.0.1", listener.address().getPort())) {
				socket.setSoTimeout(5000);
				socket.startHandshake();
				return socket.getInputStream().read();
			}
			catch (javax.net.ssl.SSLException ex) {
				return -1;
			}
		}

		int fullHandshakes() {
			return this.fullHandshakes.get();
		}

	}

}
