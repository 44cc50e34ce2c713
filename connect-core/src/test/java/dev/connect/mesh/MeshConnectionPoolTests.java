package dev.connect.mesh;

import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

import dev.connect.identity.ServiceIdentity;
import dev.connect.identity.TrustDomain;
import dev.connect.pki.SvidValidator;
import dev.connect.pki.TestPki;
import dev.connect.tls.CertificateSnapshot;
import dev.connect.tls.CertificateSource;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.junit.jupiter.api.Test;
import reactor.netty.Connection;
import reactor.netty.resources.ConnectionProvider.ConnectionMetadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The pool's eviction rules, one by one, on a connection whose TLS engine was created for a known address.
 */
class MeshConnectionPoolTests {

	private final UpstreamAddressBook upstreams = new UpstreamAddressBook();

	private static final String TRUST_DOMAIN = "11111111-2222-3333-4444-555555555555.consul";

	private final AtomicLong now = new AtomicLong(System.currentTimeMillis());

	/** How long the servers' leaves stay valid after the test's start. */
	private static final Duration SERVER_LEAF_LIFETIME = Duration.ofDays(1);

	private final MeshConnectionPool.Eviction eviction = new MeshConnectionPool.Eviction(this.upstreams,
			Duration.ofMinutes(10), Duration.ofSeconds(60), Duration.ofSeconds(10), this.now::get);

	private final TestPki.Issued root = TestPki.root(TRUST_DOMAIN);

	private final Map<String, SSLContext> servers = new HashMap<>();

	@Test
	void aFreshConnectionToAnExpectedInstanceIsKept() throws Exception {
		this.upstreams.expect("127.0.0.1", 8443, UpstreamIdentity.of("dc1", "counting"));
		assertThat(this.eviction.test(connection("127.0.0.1", 8443), metadata(1_000, 0))).isFalse();
	}

	@Test
	void aConnectionToAnInstanceThatLeftIsClosed() throws Exception {
		this.upstreams.expect("127.0.0.1", 8443, UpstreamIdentity.of("dc1", "counting"));
		Connection connection = connection("127.0.0.1", 8443);
		this.upstreams.forget("127.0.0.1", 8443, UpstreamIdentity.of("dc1", "counting"));
		assertThat(this.eviction.test(connection, metadata(1_000, 0))).isTrue();
	}

	@Test
	void aConnectionWhoseServerIsNoLongerTheServiceExpectedAtItsAddressIsClosed() throws Exception {
		this.upstreams.expect("127.0.0.1", 8443, UpstreamIdentity.of("dc1", "counting"));
		Connection connection = connection("127.0.0.1", 8443, "counting");
		assertThat(this.eviction.test(connection, metadata(1_000, 0))).as("counting, as expected").isFalse();
		this.upstreams.forget("127.0.0.1", 8443, UpstreamIdentity.of("dc1", "counting"));
		this.upstreams.expect("127.0.0.1", 8443, UpstreamIdentity.of("dc1", "billing"));
		assertThat(this.eviction.test(connection, metadata(1_000, 0))).as("billing expected there now").isTrue();
	}

	@Test
	void aConnectionToAnAddressRecordedForTwoServicesIsClosed() throws Exception {
		this.upstreams.expect("127.0.0.1", 8443, UpstreamIdentity.of("dc1", "counting"));
		Connection connection = connection("127.0.0.1", 8443, "counting");
		this.upstreams.expect("127.0.0.1", 8443, UpstreamIdentity.of("dc1", "billing"));
		assertThat(this.eviction.test(connection, metadata(1_000, 0))).isTrue();
		this.upstreams.forget("127.0.0.1", 8443, UpstreamIdentity.of("dc1", "billing"));
		assertThat(this.eviction.test(connection, metadata(1_000, 0))).as("counting alone again").isFalse();
	}

	@Test
	void aConnectionWithoutAVerifiedServerIsClosed() throws Exception {
		this.upstreams.expect("127.0.0.1", 8443, UpstreamIdentity.of("dc1", "counting"));
		SSLEngine engine = SSLContext.getDefault().createSSLEngine("127.0.0.1", 8443);
		engine.setUseClientMode(true);
		Connection connection = Connection.from(new EmbeddedChannel(DefaultChannelId.newInstance(), new SslHandler(engine)));
		assertThat(this.eviction.test(connection, metadata(1_000, 0))).isTrue();
	}

	@Test
	void aConnectionOlderThanTheMaximumLifetimeIsClosed() throws Exception {
		this.upstreams.expect("127.0.0.1", 8443, UpstreamIdentity.of("dc1", "counting"));
		Connection connection = connection("127.0.0.1", 8443);
		assertThat(this.eviction.test(connection, metadata(Duration.ofMinutes(10).toMillis() - 1, 0))).isFalse();
		assertThat(this.eviction.test(connection, metadata(Duration.ofMinutes(10).toMillis(), 0))).isTrue();
	}

	@Test
	void aConnectionWhoseServerLeafExpiredSinceItsHandshakeIsClosed() throws Exception {
		this.upstreams.expect("127.0.0.1", 8443, UpstreamIdentity.of("dc1", "counting"));
		Connection connection = connection("127.0.0.1", 8443);
		this.now.addAndGet(SERVER_LEAF_LIFETIME.toMillis() - 1_000);
		assertThat(this.eviction.test(connection, metadata(1_000, 0))).as("before the server leaf's not-after").isFalse();
		this.now.addAndGet(2_000);
		assertThat(this.eviction.test(connection, metadata(1_000, 0))).as("after it").isTrue();
	}

	@Test
	void aConnectionIdleLongerThanTheMaximumIdleTimeIsClosed() throws Exception {
		this.upstreams.expect("127.0.0.1", 8443, UpstreamIdentity.of("dc1", "counting"));
		Connection connection = connection("127.0.0.1", 8443);
		assertThat(this.eviction.test(connection, metadata(120_000, 59_999))).isFalse();
		assertThat(this.eviction.test(connection, metadata(120_000, 60_000))).isTrue();
	}

	@Test
	void withoutPreviousMaterialConnectionsOpenedBeforeTheFirstSnapshotAreClosedAtOnceAndLaterOnesKept()
			throws Exception {
		this.upstreams.expect("127.0.0.1", 8443, UpstreamIdentity.of("dc1", "counting"));
		Connection connection = connection("127.0.0.1", 8443);
		assertThat(this.eviction.test(connection, metadata(4_000, 0))).as("no change yet").isFalse();
		this.eviction.snapshot(snapshot(leaf(this.root), this.root));
		assertThat(this.eviction.test(connection, metadata(4_000, 0))).as("opened before the new material").isTrue();
		this.now.addAndGet(1_000);
		assertThat(this.eviction.test(connection, metadata(500, 0))).as("opened after it").isFalse();
	}

	@Test
	void connectionsOpenedBeforeARenewedLeafAreRetiredAtMomentsSpreadOverTheDrainTime() throws Exception {
		this.eviction.watch(CertificateSource.of(snapshot(leaf(this.root), this.root)));
		this.eviction.snapshot(snapshot(leaf(this.root), this.root));
		assertDrained();
	}

	@Test
	void connectionsOpenedBeforeAnAddedRootAreRetiredAtMomentsSpreadOverTheDrainTime() throws Exception {
		TestPki.Issued leaf = leaf(this.root);
		this.eviction.watch(CertificateSource.of(snapshot(leaf, this.root)));
		this.eviction.snapshot(snapshot(leaf, this.root, TestPki.root(TRUST_DOMAIN)));
		assertDrained();
	}

	@Test
	void connectionsOpenedBeforeARootStoppedBeingTrustedAreClosedAtOnce() throws Exception {
		TestPki.Issued next = TestPki.root(TRUST_DOMAIN);
		this.eviction.watch(CertificateSource.of(snapshot(leaf(this.root), this.root, next)));
		this.eviction.snapshot(snapshot(leaf(next), next));
		assertThat(retired(connections(40), 4_000)).as("retired right after the change").isEqualTo(40);
	}

	@Test
	void connectionsOpenedWithALeafThatHasSinceExpiredAreClosedAtOnce() throws Exception {
		Instant now = Instant.ofEpochMilli(this.now.get());
		TestPki.Issued expired = TestPki.leaf("spiffe://" + TRUST_DOMAIN + "/ns/default/dc/dc1/svc/web")
			.validity(now.minus(Duration.ofDays(3)), now.minus(Duration.ofSeconds(1)))
			.signedBy(this.root);
		this.eviction.watch(CertificateSource.of(snapshot(expired, this.root)));
		this.eviction.snapshot(snapshot(leaf(this.root), this.root));
		assertThat(retired(connections(40), 4_000)).as("retired right after the change").isEqualTo(40);
	}

	@Test
	void aZeroDrainTimeClosesConnectionsAtOnceOnEveryChange() throws Exception {
		MeshConnectionPool.Eviction atOnce = new MeshConnectionPool.Eviction(this.upstreams, Duration.ofMinutes(10),
				Duration.ofSeconds(60), Duration.ZERO, this.now::get);
		atOnce.watch(CertificateSource.of(snapshot(leaf(this.root), this.root)));
		atOnce.snapshot(snapshot(leaf(this.root), this.root));
		List<Connection> connections = connections(40);
		assertThat(connections).allMatch((connection) -> atOnce.test(connection, metadata(4_000, 0)));
	}

	/**
	 * After a change that keeps the connections trusted, 40 connections opened before it: some retired and some
	 * kept halfway through the 10 s drain time, all retired at its end; one opened after the change is kept. The
	 * moments come from the connections' random ids, so "some of 40 on each side of the middle" fails only with
	 * probability 2 × 2^-40.
	 */
	private void assertDrained() throws Exception {
		List<Connection> connections = connections(40);
		long openedBefore = 4_000;
		int atChange = retired(connections, openedBefore);
		this.now.addAndGet(5_000);
		int halfway = retired(connections, openedBefore + 5_000);
		assertThat(halfway).as("retired halfway through the drain time").isBetween(1, 39).isGreaterThanOrEqualTo(atChange);
		this.now.addAndGet(5_000);
		assertThat(retired(connections, openedBefore + 10_000)).as("retired at the end of the drain time").isEqualTo(40);
		assertThat(this.eviction.test(connections.get(0), metadata(9_000, 0))).as("opened after the change").isFalse();
	}

	private List<Connection> connections(int count) throws Exception {
		this.upstreams.expect("127.0.0.1", 8443, UpstreamIdentity.of("dc1", "counting"));
		List<Connection> connections = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			connections.add(connection("127.0.0.1", 8443));
		}
		return connections;
	}

	private int retired(List<Connection> connections, long lifeTime) {
		return (int) connections.stream().filter((connection) -> this.eviction.test(connection, metadata(lifeTime, 0))).count();
	}

	@Test
	void aConnectionWithoutTlsIsClosed() {
		this.upstreams.expect("127.0.0.1", 8443, UpstreamIdentity.of("dc1", "counting"));
		assertThat(this.eviction.test(Connection.from(new EmbeddedChannel()), metadata(0, 0))).isTrue();
	}

	@Test
	void durationsMustBePositive() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MeshConnectionPool.Eviction(this.upstreams, Duration.ZERO, Duration.ofSeconds(1),
					Duration.ZERO, this.now::get))
			.withMessage("'maxLifeTime' must be a positive duration, but was PT0S");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MeshConnectionPool.Eviction(this.upstreams, Duration.ofSeconds(1),
					Duration.ofSeconds(-1), Duration.ZERO, this.now::get))
			.withMessage("'maxIdleTime' must be a positive duration, but was PT-1S");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MeshConnectionPool.Eviction(this.upstreams, Duration.ofSeconds(1),
					Duration.ofSeconds(1), Duration.ofMillis(-1), this.now::get))
			.withMessage("'drainTime' must be zero or a positive duration, but was PT-0.001S");
	}

	private Connection connection(String host, int port) throws Exception {
		return connection(host, port, "counting");
	}

	/**
	 * A client connection whose engine was created for an address and whose handshake, made in memory, proved a
	 * server leaf for {@code service}.
	 */
	private Connection connection(String host, int port, String service) throws Exception {
		SSLEngine serverEngine = this.servers.computeIfAbsent(service, this::serverContext).createSSLEngine();
		serverEngine.setUseClientMode(false);
		SSLEngine engine = clientContext().createSSLEngine(host, port);
		engine.setUseClientMode(true);
		// A random id, as real channels have (an embedded channel's default id is one constant).
		EmbeddedChannel client = new EmbeddedChannel(DefaultChannelId.newInstance(), new SslHandler(engine));
		EmbeddedChannel server = new EmbeddedChannel(DefaultChannelId.newInstance(), new SslHandler(serverEngine));
		for (int round = 0; round < 10 && !client.pipeline().get(SslHandler.class).handshakeFuture().isDone(); round++) {
			relay(client, server);
			relay(server, client);
		}
		assertThat(client.pipeline().get(SslHandler.class).handshakeFuture().isSuccess()).as("in-memory handshake").isTrue();
		return Connection.from(client);
	}

	private SSLContext serverContext(String service) {
		Instant now = Instant.ofEpochMilli(this.now.get());
		TestPki.Issued leaf = TestPki.leaf("spiffe://" + TRUST_DOMAIN + "/ns/default/dc/dc1/svc/" + service)
			.validity(now.minus(Duration.ofHours(1)), now.plus(SERVER_LEAF_LIFETIME))
			.signedBy(this.root);
		try {
			KeyStore keys = KeyStore.getInstance("PKCS12");
			keys.load(null, null);
			keys.setKeyEntry("leaf", leaf.keyPair().getPrivate(), new char[0], new X509Certificate[] { leaf.certificate() });
			KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keyManagers.init(keys, new char[0]);
			SSLContext context = SSLContext.getInstance("TLSv1.3");
			context.init(keyManagers.getKeyManagers(), null, null);
			return context;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Trusts any server: these tests are about what the pool does with the identity a server proved. */
	private static SSLContext clientContext() throws Exception {
		SSLContext context = SSLContext.getInstance("TLSv1.3");
		context.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
		return context;
	}

	private static void relay(EmbeddedChannel from, EmbeddedChannel to) {
		for (Object message = from.readOutbound(); message != null; message = from.readOutbound()) {
			to.writeInbound(message);
		}
	}

	private static TestPki.Issued leaf(TestPki.Issued root) {
		return TestPki.leaf("spiffe://" + TRUST_DOMAIN + "/ns/default/dc/dc1/svc/web").signedBy(root);
	}

	private static CertificateSnapshot snapshot(TestPki.Issued leaf, TestPki.Issued... roots) {
		TrustDomain td = TrustDomain.parse(TRUST_DOMAIN);
		List<X509Certificate> certificates = Arrays.stream(roots).map(TestPki.Issued::certificate).toList();
		return new CertificateSnapshot(1, ServiceIdentity.of(td, "dc1", "web"), List.of(leaf.certificate()),
				leaf.keyPair().getPrivate(), certificates, td, SvidValidator.of(certificates, Clock.systemUTC()));
	}

	private static ConnectionMetadata metadata(long lifeTime, long idleTime) {
		return new ConnectionMetadata() {

			@Override
			public int acquireCount() {
				return 1;
			}

			@Override
			public long idleTime() {
				return idleTime;
			}

			@Override
			public long lifeTime() {
				return lifeTime;
			}

			@Override
			public long releaseTimestamp() {
				return 0;
			}

			@Override
			public long allocationTimestamp() {
				return 0;
			}

		};
	}

}
