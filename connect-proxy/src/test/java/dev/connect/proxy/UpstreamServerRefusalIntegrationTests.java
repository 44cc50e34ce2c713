package dev.connect.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import dev.connect.agent.ca.SvidProfile;
import dev.connect.api.CaRoot;
import dev.connect.identity.ServiceIdentity;
import dev.connect.identity.TrustDomain;
import dev.connect.pki.Pem;
import dev.connect.test.HeldSvid;
import dev.connect.test.SvidAuthority;
import dev.connect.test.TestMesh;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Servers registered as {@code echo} whose certificates must not pass: one from another CA of the same trust domain,
 * an expired leaf and a leaf with two URI SANs, both signed by the mesh's own root. Each is dialled by the upstream
 * listener, on the JDK's TLS and on BoringSSL, and receives no byte of the application's data.
 */
class UpstreamServerRefusalIntegrationTests {

	private final TestMesh mesh = TestMesh.start();

	private final KeyPair rootKey = ecKey();

	private final TrustDomain trustDomain = TrustDomain.parse(this.mesh.trustDomain());

	UpstreamServerRefusalIntegrationTests() throws Exception {
		// The mesh's root is rotated to a key this test holds, so that it can sign leaves the agent would never issue.
		HttpResponse<String> put = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.mesh.agentUrl() + "/v1/connect/ca/configuration"))
				.PUT(HttpRequest.BodyPublishers.ofString("{\"Provider\":\"consul\",\"Config\":{\"PrivateKey\":\""
						+ Pem.encodeSec1(this.rootKey.getPrivate(), this.rootKey.getPublic()).replace("\n", "\\n")
						+ "\"}}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
		this.mesh.allow("web", "echo");
	}

	@AfterEach
	void stop() {
		this.mesh.close();
	}

	@ParameterizedTest(name = "BoringSSL: {0}")
	@ValueSource(booleans = { false, true })
	void aServerOfAnotherCaGetsNoByte(boolean boringSsl) throws Exception {
		SvidAuthority other = SvidAuthority.builder().trustDomain(this.mesh.trustDomain()).build();
		HeldSvid leaf = other.leaf("echo").build();
		assertRefused(boringSsl, leaf.certificate(), leaf.keyPair(), other.root().certificate());
	}

	@ParameterizedTest(name = "BoringSSL: {0}")
	@ValueSource(booleans = { false, true })
	void aServerWithAnExpiredLeafOfTheMeshGetsNoByte(boolean boringSsl) throws Exception {
		Instant now = Instant.now();
		assertRefused(boringSsl, meshLeaf(List.of(echo()), now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1))));
	}

	@ParameterizedTest(name = "BoringSSL: {0}")
	@ValueSource(booleans = { false, true })
	void aServerWithTwoUriSansGetsNoByte(boolean boringSsl) throws Exception {
		Instant now = Instant.now();
		assertRefused(boringSsl, meshLeaf(List.of(echo(), echo().replace("/svc/echo", "/svc/other")), now.minusSeconds(60),
				now.plus(Duration.ofDays(1))));
	}

	private String echo() {
		return ServiceIdentity.of(this.trustDomain, "dc1", "echo").toString();
	}

	private Object[] meshLeaf(List<String> uris, Instant notBefore, Instant notAfter) {
		X509Certificate root = activeRoot();
		KeyPair key = ecKey();
		X509Certificate leaf = SvidProfile.leaf(root, this.rootKey, key.getPublic(), uris,
				BigInteger.valueOf(System.nanoTime()), notBefore, notAfter, new SecureRandom());
		return new Object[] { leaf, key, root };
	}

	private void assertRefused(boolean boringSsl, Object[] material) throws Exception {
		assertRefused(boringSsl, (X509Certificate) material[0], (KeyPair) material[1], (X509Certificate) material[2]);
	}

	private void assertRefused(boolean boringSsl, X509Certificate leaf, KeyPair key, X509Certificate issuer)
			throws Exception {
		try (Server server = new Server(leaf, key, issuer)) {
			ProxyMesh.register(this.mesh, """
					{"Name":"echo","ID":"echo-bad","Port":%d,"Address":"127.0.0.1","Connect":{"Native":true}}"""
				.formatted(server.port()));
			int upstreamPort = ProxyMesh.freePort();
			ProxyMesh.registerWithSidecar(this.mesh, "web", 1, ProxyMesh.freePort(),
					"{\"DestinationName\":\"echo\",\"LocalBindPort\":" + upstreamPort + "}");
			try (SidecarProxy web = SidecarProxyIntegrationTests.eventually(() -> {
				SidecarProxy started = ProxyMesh.start(this.mesh, "web-sidecar-proxy", boringSsl);
				return started;
			})) {
				assertThat(web.tlsProvider()).isEqualTo(boringSsl ? "BoringSSL" : "JDK");
				InetSocketAddress upstream = web.upstreamAddresses().get("echo");
				long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
				while (server.handshakes() < 2 && System.nanoTime() < deadline) {
					assertThat(ProxyObservabilityIntegrationTests.exchange(upstream, "secret")).isEmpty();
					Thread.sleep(100);
				}
				assertThat(server.handshakes()).isGreaterThanOrEqualTo(2);
				assertThat(server.bytesReceived()).isZero();
			}
		}
	}

	private X509Certificate activeRoot() {
		List<CaRoot> roots = ProxyMesh.client(this.mesh).roots(0, Duration.ZERO).block().value().roots();
		CaRoot active = roots.stream().filter(CaRoot::active).findFirst().orElseThrow();
		return Pem.parseCertificates(active.rootCert()).get(0);
	}

	private static KeyPair ecKey() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			return generator.generateKeyPair();
		}
		catch (java.security.GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A TLS server presenting the given chain, counting the handshakes attempted and the bytes it receives. */
	private static final class Server implements AutoCloseable {

		private final SSLServerSocket server;

		private final AtomicInteger handshakes = new AtomicInteger();

		private final AtomicLong received = new AtomicLong();

		Server(X509Certificate leaf, KeyPair key, X509Certificate issuer) throws Exception {
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(null, null);
			store.setKeyEntry("server", key.getPrivate(), new char[0], new X509Certificate[] { leaf, issuer });
			KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keys.init(store, new char[0]);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(keys.getKeyManagers(), new TrustManager[] { new TrustingEveryone() }, null);
			this.server = (SSLServerSocket) context.getServerSocketFactory()
				.createServerSocket(0, 50, InetAddress.getLoopbackAddress());
			this.server.setWantClientAuth(true);
			ProxyMesh.daemon(this::accept);
		}

		int port() {
			return this.server.getLocalPort();
		}

		int handshakes() {
			return this.handshakes.get();
		}

		long bytesReceived() {
			return this.received.get();
		}

		private void accept() {
			while (!this.server.isClosed()) {
				try {
					Socket socket = this.server.accept();
					this.handshakes.incrementAndGet();
					ProxyMesh.daemon(() -> read(socket));
				}
				catch (IOException ex) {
					return;
				}
			}
		}

		private void read(Socket socket) {
			try (socket; InputStream in = socket.getInputStream()) {
				byte[] buffer = new byte[4096];
				for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
					this.received.addAndGet(n);
				}
			}
			catch (IOException ex) {
				// The proxy refused the handshake: the expected outcome.
			}
		}

		@Override
		public void close() throws IOException {
			this.server.close();
		}

	}

	/** A hostile server takes any client. */
	private static final class TrustingEveryone implements X509TrustManager {

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return new X509Certificate[0];
		}

	}

}
