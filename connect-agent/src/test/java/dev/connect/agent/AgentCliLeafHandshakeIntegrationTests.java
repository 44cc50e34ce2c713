package dev.connect.agent;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import dev.connect.identity.ServiceIdentity;
import dev.connect.identity.SpiffeId;
import dev.connect.pki.Pem;
import dev.connect.pki.SvidValidator;
import dev.connect.tls.CertificateSnapshot;
import dev.connect.tls.CertificateSource;
import dev.connect.tls.IdentityTrustManager;
import dev.connect.tls.SnapshotKeyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The files {@code leaf SERVICE -out DIR} writes complete a real mutual TLS handshake: a plain JDK client with
 * {@code web.pem}, {@code web-key.pem} and {@code ca.pem} calls a server that uses the mesh's own key and trust
 * managers with the dev agent's leaf for {@code counting}, as a service of the starter does.
 */
class AgentCliLeafHandshakeIntegrationTests {

	private static final char[] NO_PASSWORD = new char[0];

	@TempDir
	Path temp;

	private DevAgent agent;

	@BeforeEach
	void startAgent() {
		this.agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0));
	}

	@AfterEach
	void stopAgent() {
		this.agent.close();
	}

	@Test
	void writtenFilesCompleteAMutualTlsHandshakeWithAMeshServer() throws Exception {
		Path client = this.temp.resolve("web");
		Path server = this.temp.resolve("counting");
		assertThat(leaf("web", client)).isZero();
		assertThat(leaf("counting", server)).isZero();
		try (SSLServerSocket listener = (SSLServerSocket) meshServerContext(server).getServerSocketFactory()
			.createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			listener.setNeedClientAuth(true);
			CompletableFuture<String> seenByServer = CompletableFuture.supplyAsync(() -> answerOnce(listener));
			try (SSLSocket socket = (SSLSocket) clientContext(client).getSocketFactory()
				.createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
				socket.setSoTimeout(10_000);
				socket.startHandshake();
				X509Certificate serverLeaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];
				assertThat(uriOf(serverLeaf)).isEqualTo(identity("counting").toString());
				assertThat(socket.getInputStream().read()).isEqualTo('k');
			}
			assertThat(seenByServer.get(10, TimeUnit.SECONDS)).isEqualTo(identity("web").toString());
		}
	}

	private ServiceIdentity identity(String service) {
		return ServiceIdentity.of(this.agent.trustDomain(), "dc1", service);
	}

	private int leaf(String service, Path dir) {
		PrintStream discard = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
		return DevAgentMain.run(new String[] { "leaf", service, "-out", dir.toString() },
				Map.of("CONSUL_HTTP_ADDR", this.agent.httpAddress()), discard, discard);
	}

	/** The server side as the mesh does it: one snapshot, its key manager and its SPIFFE trust manager. */
	private SSLContext meshServerContext(Path dir) throws Exception {
		List<X509Certificate> chain = Pem.parseCertificates(Files.readString(dir.resolve("counting.pem")));
		PrivateKey key = Pem.parsePrivateKey(Files.readString(dir.resolve("counting-key.pem")));
		List<X509Certificate> roots = Pem.parseCertificates(Files.readString(dir.resolve("ca.pem")));
		CertificateSource source = CertificateSource.of(new CertificateSnapshot(1, identity("counting"), chain, key,
				roots, this.agent.trustDomain(), SvidValidator.of(roots, Clock.systemUTC())));
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(new KeyManager[] { new SnapshotKeyManager(source) },
				new TrustManager[] { new IdentityTrustManager(source, IdentityTrustManager.PeerVerifier.none()) },
				null);
		return context;
	}

	/** The client side as curl does it: the two PEM files as its identity, ca.pem as its only trust. */
	private static SSLContext clientContext(Path dir) throws Exception {
		KeyStore identity = KeyStore.getInstance("PKCS12");
		identity.load(null, null);
		identity.setKeyEntry("web", Pem.parsePrivateKey(Files.readString(dir.resolve("web-key.pem"))), NO_PASSWORD,
				Pem.parseCertificates(Files.readString(dir.resolve("web.pem"))).toArray(X509Certificate[]::new));
		KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keys.init(identity, NO_PASSWORD);
		KeyStore trust = KeyStore.getInstance("PKCS12");
		trust.load(null, null);
		List<X509Certificate> roots = Pem.parseCertificates(Files.readString(dir.resolve("ca.pem")));
		for (int i = 0; i < roots.size(); i++) {
			trust.setCertificateEntry("root-" + i, roots.get(i));
		}
		TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trustManagers.init(trust);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(keys.getKeyManagers(), trustManagers.getTrustManagers(), null);
		return context;
	}

	/** Accepts one connection, answers 'k' and returns the SPIFFE ID the client proved. */
	private static String answerOnce(SSLServerSocket listener) {
		try (SSLSocket connection = (SSLSocket) listener.accept()) {
			connection.setSoTimeout(10_000);
			connection.startHandshake();
			X509Certificate clientLeaf = (X509Certificate) connection.getSession().getPeerCertificates()[0];
			connection.getOutputStream().write('k');
			connection.getOutputStream().flush();
			return uriOf(clientLeaf);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Mesh server handshake failed", ex);
		}
	}

	private static String uriOf(X509Certificate certificate) throws java.security.cert.CertificateParsingException {
		return certificate.getSubjectAlternativeNames()
			.stream()
			.filter((name) -> (Integer) name.get(0) == 6)
			.map((name) -> SpiffeId.parse((String) name.get(1)).toString())
			.findFirst()
			.orElseThrow();
	}

}
