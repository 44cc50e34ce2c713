package dev.connect.tls;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

import dev.connect.identity.ServiceIdentity;
import dev.connect.identity.TrustDomain;
import dev.connect.pki.SvidValidator;
import dev.connect.pki.TestPki;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
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

	private final AtomicLong now = new AtomicLong(1_000_000);

	private final MeshConnectionPool.Eviction eviction = new MeshConnectionPool.Eviction(this.upstreams,
			Duration.ofMinutes(10), Duration.ofSeconds(60), this.now::get);

	@Test
	void aFreshConnectionToAnExpectedInstanceIsKept() throws Exception {
		this.upstreams.expect("127.0.0.1", 8443, "counting");
		assertThat(this.eviction.test(connection("127.0.0.1", 8443), metadata(1_000, 0))).isFalse();
	}

	@Test
	void aConnectionToAnInstanceThatLeftIsClosed() throws Exception {
		this.upstreams.expect("127.0.0.1", 8443, "counting");
		Connection connection = connection("127.0.0.1", 8443);
		this.upstreams.forget("127.0.0.1", 8443);
		assertThat(this.eviction.test(connection, metadata(1_000, 0))).isTrue();
	}

	@Test
	void aConnectionOlderThanTheMaximumLifetimeIsClosed() throws Exception {
		this.upstreams.expect("127.0.0.1", 8443, "counting");
		Connection connection = connection("127.0.0.1", 8443);
		assertThat(this.eviction.test(connection, metadata(Duration.ofMinutes(10).toMillis() - 1, 0))).isFalse();
		assertThat(this.eviction.test(connection, metadata(Duration.ofMinutes(10).toMillis(), 0))).isTrue();
	}

	@Test
	void aConnectionIdleLongerThanTheMaximumIdleTimeIsClosed() throws Exception {
		this.upstreams.expect("127.0.0.1", 8443, "counting");
		Connection connection = connection("127.0.0.1", 8443);
		assertThat(this.eviction.test(connection, metadata(120_000, 59_999))).isFalse();
		assertThat(this.eviction.test(connection, metadata(120_000, 60_000))).isTrue();
	}

	@Test
	void connectionsOpenedBeforeANewLeafOrNewRootsAreClosedAndLaterOnesKept() throws Exception {
		this.upstreams.expect("127.0.0.1", 8443, "counting");
		Connection connection = connection("127.0.0.1", 8443);
		TestPki.Issued root = TestPki.root("11111111-2222-3333-4444-555555555555.consul");
		assertThat(this.eviction.test(connection, metadata(4_000, 0))).as("no change yet").isFalse();
		this.eviction.snapshot(snapshot(root));
		assertThat(this.eviction.test(connection, metadata(4_000, 0))).as("opened before the new material").isTrue();
		this.now.addAndGet(1_000);
		assertThat(this.eviction.test(connection, metadata(500, 0))).as("opened after it").isFalse();
	}

	@Test
	void aConnectionWithoutTlsIsClosed() {
		this.upstreams.expect("127.0.0.1", 8443, "counting");
		assertThat(this.eviction.test(Connection.from(new EmbeddedChannel()), metadata(0, 0))).isTrue();
	}

	@Test
	void durationsMustBePositive() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MeshConnectionPool.Eviction(this.upstreams, Duration.ZERO, Duration.ofSeconds(1),
					this.now::get))
			.withMessage("'maxLifeTime' must be a positive duration, but was PT0S");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MeshConnectionPool.Eviction(this.upstreams, Duration.ofSeconds(1),
					Duration.ofSeconds(-1), this.now::get))
			.withMessage("'maxIdleTime' must be a positive duration, but was PT-1S");
	}

	private static Connection connection(String host, int port) throws Exception {
		SSLEngine engine = SSLContext.getDefault().createSSLEngine(host, port);
		engine.setUseClientMode(true);
		EmbeddedChannel channel = new EmbeddedChannel();
		channel.pipeline().addLast(new SslHandler(engine));
		return Connection.from(channel);
	}

	private static CertificateSnapshot snapshot(TestPki.Issued root) {
		String trustDomain = "11111111-2222-3333-4444-555555555555.consul";
		TestPki.Issued leaf = TestPki.leaf("spiffe://" + trustDomain + "/ns/default/dc/dc1/svc/web").signedBy(root);
		TrustDomain td = TrustDomain.parse(trustDomain);
		return new CertificateSnapshot(1, ServiceIdentity.of(td, "dc1", "web"), List.of(leaf.certificate()),
				leaf.keyPair().getPrivate(), List.of(root.certificate()), td,
				SvidValidator.of(List.of(root.certificate()), Clock.systemUTC()));
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
