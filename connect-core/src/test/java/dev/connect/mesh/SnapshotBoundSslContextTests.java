package dev.connect.mesh;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import javax.net.ssl.SSLException;

import dev.connect.identity.ServiceIdentity;
import dev.connect.identity.TrustDomain;
import dev.connect.pki.SvidValidator;
import dev.connect.pki.TestPki;
import dev.connect.tls.CertificateSnapshot;
import dev.connect.tls.CertificateSource;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Which delegate a {@link SnapshotBoundSslContext} hands each new connection to: one per snapshot, or with several
 * session caches, round-robin over that many, each built on its first connection. (The sessions themselves, over
 * real TLS, are in the proxy's and the mesh client's integration tests.)
 */
class SnapshotBoundSslContextTests {

	private static final String TRUST_DOMAIN = "11111111-2222-3333-4444-555555555555.consul";

	private final TestPki.Issued root = TestPki.root(TRUST_DOMAIN);

	private final Source source = new Source(snapshot(1));

	private final Set<SslContext> built = new HashSet<>();

	private final AtomicInteger builds = new AtomicInteger();

	@Test
	void withOneCacheEveryConnectionOfASnapshotGoesToOneDelegateAndANewSnapshotGetsANewOne() {
		SnapshotBoundSslContext context = SnapshotBoundSslContext.of(this.source, this::client);
		SslContext first = context.delegate();
		for (int i = 0; i < 5; i++) {
			context.newEngine(ByteBufAllocator.DEFAULT, "127.0.0.1", 8443);
		}
		assertThat(this.builds).hasValue(1);
		assertThat(context.delegate()).isSameAs(first);
		this.source.set(snapshot(2));
		context.newEngine(ByteBufAllocator.DEFAULT, "127.0.0.1", 8443);
		assertThat(this.builds).hasValue(2);
		assertThat(context.delegate()).isNotSameAs(first);
	}

	@Test
	void withFourCachesConnectionsAreSpreadOverFourDelegatesBuiltOnTheirFirstConnection() {
		SnapshotBoundSslContext context = SnapshotBoundSslContext.ofClient(this.source, this::client, 4);
		assertThat(this.builds).as("the first, built with the context").hasValue(1);
		context.newEngine(ByteBufAllocator.DEFAULT, "127.0.0.1", 8443);
		context.newEngine(ByteBufAllocator.DEFAULT, "127.0.0.1", 8443);
		assertThat(this.builds).as("the second on its first connection").hasValue(2);
		for (int i = 0; i < 10; i++) {
			context.newEngine(ByteBufAllocator.DEFAULT, "127.0.0.1", 8443);
		}
		assertThat(this.builds).as("never more than four per snapshot").hasValue(4);
		this.source.set(snapshot(2));
		for (int i = 0; i < 8; i++) {
			context.newEngine(ByteBufAllocator.DEFAULT, "127.0.0.1", 8443);
		}
		assertThat(this.builds).as("four new ones for the new snapshot").hasValue(8);
		assertThat(this.built).hasSize(8);
	}

	@Test
	void aCacheCountOutOfRangeIsRefusedNamingTheRange() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SnapshotBoundSslContext.ofClient(this.source, this::client, 0))
			.withMessage("'caches' 0 must be between 1 and 64");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SnapshotBoundSslContext.ofClient(this.source, this::client, 65))
			.withMessage("'caches' 65 must be between 1 and 64");
		assertThat(this.builds).hasValue(0);
	}

	@Test
	void aServerWithSeveralCachesIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SnapshotBoundSslContext.ofClient(this.source, this::server, 2))
			.withMessage("A server has one session cache; 2 were asked for");
	}

	private SslContext client() {
		try {
			SslContext context = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
				.trustManager(InsecureTrustManagerFactory.INSTANCE).build();
			this.builds.incrementAndGet();
			this.built.add(context);
			return context;
		}
		catch (SSLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private SslContext server() {
		try {
			TestPki.Issued leaf = TestPki.leaf("spiffe://" + TRUST_DOMAIN + "/ns/default/dc/dc1/svc/web")
				.signedBy(this.root);
			return SslContextBuilder.forServer(leaf.keyPair().getPrivate(), leaf.certificate())
				.sslProvider(SslProvider.JDK).build();
		}
		catch (SSLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private CertificateSnapshot snapshot(long generation) {
		TestPki.Issued leaf = TestPki.leaf("spiffe://" + TRUST_DOMAIN + "/ns/default/dc/dc1/svc/web").signedBy(this.root);
		TrustDomain td = TrustDomain.parse(TRUST_DOMAIN);
		List<java.security.cert.X509Certificate> roots = List.of(this.root.certificate());
		return new CertificateSnapshot(generation, ServiceIdentity.of(td, "dc1", "web"), List.of(leaf.certificate()),
				leaf.keyPair().getPrivate(), roots, td, SvidValidator.of(roots, Clock.systemUTC()));
	}

	private static final class Source implements CertificateSource {

		private final AtomicReference<CertificateSnapshot> current;

		Source(CertificateSnapshot first) {
			this.current = new AtomicReference<>(first);
		}

		@Override
		public CertificateSnapshot current() {
			return this.current.get();
		}

		@Override
		public void onChange(Consumer<CertificateSnapshot> listener) {
		}

		void set(CertificateSnapshot snapshot) {
			this.current.set(snapshot);
		}

	}

}
