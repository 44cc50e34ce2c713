package dev.connect.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

import dev.connect.identity.ServiceIdentity;
import dev.connect.identity.SpiffeId;
import dev.connect.identity.TrustDomain;
import dev.connect.pki.SvidValidator;
import dev.connect.pki.TestPki;
import dev.connect.pki.TestPki.Issued;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Real TLS 1.3 handshakes over loopback sockets between the mesh key and trust managers.
 */
class MeshTlsTests {

	private static final String TD = "11111111-2222-3333-4444-555555555555.consul";

	private static final Clock CLOCK = Clock.fixed(Instant.now(), ZoneOffset.UTC);

	private static final Issued ROOT = root(TD);

	private SSLServerSocket server;

	@AfterEach
	void close() throws IOException {
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void bothSidesPresentAndValidateTheirSpiffeIds() throws Exception {
		AtomicReference<SpiffeId> seenByServer = new AtomicReference<>();
		AtomicReference<SpiffeId> seenByClient = new AtomicReference<>();
		start(new Holder(snapshot("db", ROOT, List.of(ROOT))), (peer, role, engine) -> seenByServer.set(peer));
		String answer = call(new Holder(snapshot("web", ROOT, List.of(ROOT))),
				(peer, role, engine) -> seenByClient.set(peer));
		assertThat(answer).isEqualTo("TLSv1.3");
		assertThat(seenByServer.get()).hasToString("spiffe://" + TD + "/ns/default/dc/dc1/svc/web");
		assertThat(seenByClient.get()).hasToString("spiffe://" + TD + "/ns/default/dc/dc1/svc/db");
	}

	@Test
	void clientWithoutACertificateIsRefusedAtTheHandshake() throws Exception {
		start(new Holder(snapshot("db", ROOT, List.of(ROOT))), IdentityTrustManager.PeerVerifier.none());
		SSLContext context = SSLContext.getInstance("TLSv1.3");
		context.init(new KeyManager[0], new TrustManager[] {
				new IdentityTrustManager(new Holder(snapshot("web", ROOT, List.of(ROOT))), IdentityTrustManager.PeerVerifier.none()) },
				null);
		assertThatThrownBy(() -> exchange(context)).isInstanceOfAny(SSLHandshakeException.class, IOException.class);
	}

	@Test
	void clientFromAnotherCaIsRefused() throws Exception {
		Issued otherRoot = root(TD);
		start(new Holder(snapshot("db", ROOT, List.of(ROOT))), IdentityTrustManager.PeerVerifier.none());
		assertThatThrownBy(() -> call(new Holder(snapshot("web", otherRoot, List.of(otherRoot, ROOT))),
				IdentityTrustManager.PeerVerifier.none()))
			.isInstanceOfAny(SSLHandshakeException.class, IOException.class);
	}

	@Test
	void peerFromAnotherTrustDomainIsRefusedEvenWhenItsRootIsTrusted() throws Exception {
		Issued foreignRoot = root("other.consul");
		Holder serverSide = new Holder(snapshot("db", ROOT, List.of(ROOT, foreignRoot)));
		start(serverSide, IdentityTrustManager.PeerVerifier.none());
		CertificateSnapshot foreign = snapshot("web", foreignRoot, List.of(foreignRoot, ROOT), "other.consul");
		assertThatThrownBy(() -> call(new Holder(foreign), IdentityTrustManager.PeerVerifier.none()))
			.isInstanceOfAny(SSLHandshakeException.class, IOException.class);
		IdentityTrustManager manager = new IdentityTrustManager(serverSide, IdentityTrustManager.PeerVerifier.none());
		assertThatThrownBy(() -> manager.checkClientTrusted(foreign.chain().toArray(X509Certificate[]::new), "EC"))
			.hasMessage("Peer 'spiffe://other.consul/ns/default/dc/dc1/svc/web' is not in this mesh's trust domain '"
					+ TD + "'");
	}

	@Test
	void withoutMaterialEveryPeerIsRefused() {
		IdentityTrustManager manager = new IdentityTrustManager(new Holder(null), IdentityTrustManager.PeerVerifier.none());
		X509Certificate[] chain = snapshot("web", ROOT, List.of(ROOT)).chain().toArray(X509Certificate[]::new);
		assertThatThrownBy(() -> manager.checkClientTrusted(chain, "EC")).hasMessage(IdentityTrustManager.NO_MATERIAL);
		assertThat(new SnapshotKeyManager(new Holder(null)).chooseServerAlias("EC", null, null)).isNull();
	}

	@Test
	void aNewSnapshotIsUsedByTheNextHandshakeWithoutANewContext() throws Exception {
		Holder serverSide = new Holder(snapshot("db", ROOT, List.of(ROOT)));
		start(serverSide, IdentityTrustManager.PeerVerifier.none());
		AtomicReference<X509Certificate> presented = new AtomicReference<>();
		IdentityTrustManager.PeerVerifier capture = IdentityTrustManager.PeerVerifier.none();
		Holder clientSide = new Holder(snapshot("web", ROOT, List.of(ROOT)));
		SSLContext context = context(clientSide, capture);
		exchange(context, (socket) -> presented.set(peerLeaf(socket)));
		X509Certificate first = presented.get();
		serverSide.set(snapshot("db", ROOT, List.of(ROOT)));
		// A fresh client context, so that the client cannot resume the first session: the server's context is the
		// same one, and its full handshake must present the new leaf.
		exchange(context(clientSide, capture), (socket) -> presented.set(peerLeaf(socket)));
		assertThat(presented.get().getSerialNumber()).isNotEqualTo(first.getSerialNumber());
		assertThat(presented.get()).isEqualTo(serverSide.current().leaf());
	}

	@Test
	void keyManagerPairsChainAndKeyOfTheSameGeneration() {
		Holder source = new Holder(snapshot("web", ROOT, List.of(ROOT)));
		SnapshotKeyManager manager = new SnapshotKeyManager(source);
		String alias = manager.chooseClientAlias(new String[] { "EC" }, null, null);
		CertificateSnapshot before = source.current();
		source.set(snapshot("web", ROOT, List.of(ROOT)));
		assertThat(manager.getCertificateChain(alias)[0]).isEqualTo(before.leaf());
		assertThat(manager.getPrivateKey(alias)).isEqualTo(before.privateKey());
		String next = manager.chooseServerAlias("EC", null, null);
		assertThat(next).isNotEqualTo(alias);
		assertThat(manager.getCertificateChain(next)[0]).isEqualTo(source.current().leaf());
	}

	private static X509Certificate peerLeaf(SSLSocket socket) {
		try {
			return (X509Certificate) socket.getSession().getPeerCertificates()[0];
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void start(CertificateSource source, IdentityTrustManager.PeerVerifier verifier) throws Exception {
		SSLContext context = context(source, verifier);
		this.server = (SSLServerSocket) context.getServerSocketFactory()
			.createServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.server.setNeedClientAuth(true);
		this.server.setEnabledProtocols(new String[] { "TLSv1.3" });
		SSLServerSocket listening = this.server;
		CompletableFuture.runAsync(() -> {
			while (!listening.isClosed()) {
				try (SSLSocket socket = (SSLSocket) listening.accept()) {
					socket.startHandshake();
					OutputStream out = socket.getOutputStream();
					out.write((socket.getSession().getProtocol() + "\n").getBytes());
					out.flush();
				}
				catch (IOException ex) {
					// A refused handshake: the next client gets a fresh socket.
				}
			}
		});
	}

	private String call(CertificateSource source, IdentityTrustManager.PeerVerifier verifier) throws Exception {
		return exchange(context(source, verifier));
	}

	private String exchange(SSLContext context) throws Exception {
		return exchangeLine(context);
	}

	private void exchange(SSLContext context, Consumer<SSLSocket> inspect) throws Exception {
		try (SSLSocket socket = (SSLSocket) context.getSocketFactory()
			.createSocket(InetAddress.getLoopbackAddress(), this.server.getLocalPort())) {
			socket.setSoTimeout(5000);
			socket.startHandshake();
			inspect.accept(socket);
			readLine(socket.getInputStream());
		}
	}

	private String exchangeLine(SSLContext context) throws Exception {
		try (SSLSocket socket = (SSLSocket) context.getSocketFactory()
			.createSocket(InetAddress.getLoopbackAddress(), this.server.getLocalPort())) {
			socket.setSoTimeout(5000);
			socket.startHandshake();
			return readLine(socket.getInputStream());
		}
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
			line.append((char) c);
		}
		if (line.length() == 0) {
			throw new IOException("connection closed by the server");
		}
		return line.toString();
	}

	private static SSLContext context(CertificateSource source, IdentityTrustManager.PeerVerifier verifier)
			throws Exception {
		SSLContext context = SSLContext.getInstance("TLSv1.3");
		context.init(new KeyManager[] { new SnapshotKeyManager(source) },
				new TrustManager[] { new IdentityTrustManager(source, verifier) }, null);
		return context;
	}

	private static Issued root(String trustDomain) {
		return TestPki.root(trustDomain);
	}

	private static CertificateSnapshot snapshot(String service, Issued signer, List<Issued> trusted) {
		return snapshot(service, signer, trusted, TD);
	}

	private static long generation = 0;

	private static synchronized CertificateSnapshot snapshot(String service, Issued signer, List<Issued> trusted,
			String trustDomain) {
		TrustDomain td = TrustDomain.parse(trustDomain);
		ServiceIdentity identity = ServiceIdentity.of(td, "dc1", service);
		Issued leaf = TestPki.leaf(identity.toString())
			.validity(Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600))
			.signedBy(signer);
		KeyPair key = leaf.keyPair();
		List<X509Certificate> roots = trusted.stream().map(Issued::certificate).toList();
		return new CertificateSnapshot(++generation, identity, List.of(leaf.certificate()), key.getPrivate(), roots,
				td, SvidValidator.of(roots, Clock.systemUTC()));
	}

	/** A source whose snapshot a test replaces. */
	static final class Holder implements CertificateSource {

		private volatile @Nullable CertificateSnapshot snapshot;

		Holder(@Nullable CertificateSnapshot snapshot) {
			this.snapshot = snapshot;
		}

		void set(CertificateSnapshot snapshot) {
			this.snapshot = snapshot;
		}

		@Override
		public @Nullable CertificateSnapshot current() {
			return this.snapshot;
		}

		@Override
		public void onChange(Consumer<CertificateSnapshot> listener) {
		}

	}

}
