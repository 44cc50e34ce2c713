package dev.connect.mesh;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.mesh.MeshServers.MeshServer;
import dev.connect.pki.SvidValidator;
import dev.connect.pki.TestPki;
import dev.connect.test.ChangingCertificateSource;
import dev.connect.tls.CertificateSnapshot;
import dev.connect.tls.CertificateSource;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import static dev.connect.mesh.MeshServers.TRUST_DOMAIN;
import static dev.connect.mesh.MeshServers.awaitRelease;
import static dev.connect.mesh.MeshServers.get;
import static dev.connect.mesh.MeshServers.identity;
import static dev.connect.mesh.MeshServers.leaf;
import static dev.connect.mesh.MeshServers.root;
import static dev.connect.mesh.MeshServers.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The mesh client's connections over time, against real mesh servers whose certificates the dev agent issued:
 * pooled connections and when they are retired, and TLS sessions across certificate snapshots. Who the client
 * talks to at all is in {@link MeshHttpClientsIdentityIntegrationTests}.
 */
class MeshHttpClientsIntegrationTests {

	private DevAgent agent;

	private final UpstreamAddressBook upstreams = new UpstreamAddressBook();

	@BeforeEach
	void start() {
		this.agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0));
	}

	@AfterEach
	void stop() {
		this.agent.close();
	}

	@Test
	void pooledConnectionsAreReusedAndClosedOnceTheirInstanceLeaves() throws Exception {
		ConnectionProvider pool = MeshConnectionPool.create("test", identity(this.agent, "dashboard"), this.upstreams,
				Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofSeconds(5));
		try (MeshServer counting = MeshServers.start(this.agent, "counting")) {
			this.upstreams.expect("127.0.0.1", counting.port(), UpstreamIdentity.of("dc1", "counting"));
			HttpClient client = MeshHttpClients.secure(HttpClient.create(pool), identity(this.agent, "dashboard"),
					this.upstreams);
			for (int i = 0; i < 3; i++) {
				assertThat(get(client, counting.port())).isEqualTo("counting");
				awaitRelease();
			}
			assertThat(counting.log().opened).as("one kept-alive connection for three calls").hasValue(1);
			this.upstreams.forget("127.0.0.1", counting.port(), UpstreamIdentity.of("dc1", "counting"));
			// No further call: the pool's background eviction closes the idle connection by itself.
			assertThat(counting.log().closed.await(10, TimeUnit.SECONDS))
				.as("the connection to the departed instance was closed").isTrue();
		}
		finally {
			pool.disposeLater().block(Duration.ofSeconds(5));
		}
	}

	@Test
	void withoutADrainTimeAnAddedRootMakesTheNextCallOpenANewConnection() throws Exception {
		try (PooledCalls calls = pooledCalls(Duration.ZERO)) {
			assertThat(calls.get()).isEqualTo("counting");
			awaitRelease();
			assertThat(calls.get()).isEqualTo("counting");
			awaitRelease();
			assertThat(calls.counting.log().opened).hasValue(1);
			calls.publishRoots(plus(calls.dashboard.current().roots(), calls.other));
			assertThat(calls.get()).isEqualTo("counting");
			assertThat(calls.counting.log().opened).as("a new handshake after the roots changed").hasValue(2);
			assertThat(calls.counting.log().handled).hasValue(3);
		}
	}

	@Test
	void anAddedRootRetiresPooledConnectionsWithinTheDrainTimeWhileCallsGoOn() throws Exception {
		try (PooledCalls calls = pooledCalls(Duration.ofSeconds(1))) {
			assertThat(calls.get()).isEqualTo("counting");
			awaitRelease();
			calls.publishRoots(plus(calls.dashboard.current().roots(), calls.other));
			int made = 1;
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (calls.counting.log().opened.get() < 2 && System.nanoTime() < deadline) {
				assertThat(calls.get()).isEqualTo("counting");
				made++;
				awaitRelease();
			}
			assertThat(calls.counting.log().opened).as("the connection from before the new root was replaced").hasValue(2);
			assertThat(calls.counting.log().closed.await(5, TimeUnit.SECONDS)).as("and closed").isTrue();
			assertThat(calls.counting.log().handled).hasValue(made);
		}
	}

	@Test
	void aRootNoLongerTrustedStopsPooledConnectionsAtOnceWhateverTheDrainTime() throws Exception {
		try (PooledCalls calls = pooledCalls(Duration.ofMinutes(10))) {
			assertThat(calls.get()).isEqualTo("counting");
			awaitRelease();
			// Only the other agent's roots: the root that signed counting's leaf is no longer trusted.
			calls.publishRoots(identity(calls.other, "web").current().roots());
			assertThatThrownBy(calls::get).as("no reuse of the connection made under the old root")
				.hasStackTraceContaining("SSLHandshakeException");
			assertThat(calls.counting.log().opened).as("the call tried a new handshake").hasValue(2);
			assertThat(calls.counting.log().handled).as("only the call before the change was served").hasValue(1);
		}
	}

	@ParameterizedTest
	@EnumSource(value = SslProvider.class, names = { "JDK", "OPENSSL" })
	void aNewConnectionAfterANewSnapshotPresentsTheNewLeafInsteadOfResumingTheOldSession(SslProvider provider)
			throws Exception {
		TestPki.Issued root = root(TRUST_DOMAIN);
		ChangingCertificateSource dashboard = new ChangingCertificateSource(
				snapshot(TRUST_DOMAIN, "dashboard", leaf(TRUST_DOMAIN, "dashboard", root), root));
		CertificateSource counting = CertificateSource
			.of(snapshot(TRUST_DOMAIN, "counting", leaf(TRUST_DOMAIN, "counting", root), root));
		try (MeshServer server = MeshServers.start(counting, "counting")) {
			this.upstreams.expect("127.0.0.1", server.port(), UpstreamIdentity.of("dc1", "counting"));
			// No pool: every call is a new connection, so only session resumption could carry an old leaf over.
			HttpClient client = MeshHttpClients.secure(HttpClient.newConnection(), dashboard, this.upstreams, provider);
			get(client, server.port());
			get(client, server.port());
			TestPki.Issued renewed = leaf(TRUST_DOMAIN, "dashboard", root);
			CertificateSnapshot before = dashboard.current();
			dashboard.publish(new CertificateSnapshot(before.generation() + 1, before.identity(),
					List.of(renewed.certificate()), renewed.keyPair().getPrivate(), before.roots(), before.trustDomain(),
					before.validator()));
			get(client, server.port());
			String first = before.leaf().getSerialNumber().toString(16);
			assertThat(server.log().callerSerials).as("the caller's leaf as the server saw it, call by call")
				.containsExactly(first, first, renewed.certificate().getSerialNumber().toString(16));
		}
	}

	@ParameterizedTest
	@EnumSource(value = SslProvider.class, names = { "JDK", "OPENSSL" })
	void aResumedSessionWithAServerWhoseLeafExpiredSinceIsRefusedBeforeTheRequestIsSent(SslProvider provider)
			throws Exception {
		TestPki.Issued root = root(TRUST_DOMAIN);
		CertificateSource dashboard = CertificateSource
			.of(snapshot(TRUST_DOMAIN, "dashboard", leaf(TRUST_DOMAIN, "dashboard", root), root));
		// Certificates carry whole seconds: the leaf ends at the start of a second at least 3 s from now.
		Instant notAfter = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 4);
		TestPki.Issued shortLived = TestPki.leaf(MeshServers.uri(TRUST_DOMAIN, "counting"))
			.validity(Instant.now().minus(Duration.ofHours(1)), notAfter)
			.signedBy(root);
		try (MeshServer server = MeshServers.start(
				CertificateSource.of(snapshot(TRUST_DOMAIN, "counting", shortLived, root)), "counting")) {
			this.upstreams.expect("127.0.0.1", server.port(), UpstreamIdentity.of("dc1", "counting"));
			// No pool: every call is a new connection, which resumes the session of the one before.
			HttpClient client = MeshHttpClients.secure(HttpClient.newConnection(), dashboard, this.upstreams, provider);
			assertThat(MeshServers.get(client, server.port(), "counting")).isEqualTo("counting");
			assertThat(MeshServers.get(client, server.port(), "counting")).isEqualTo("counting");
			Thread.sleep(Math.max(0, Duration.between(Instant.now(), notAfter).toMillis() + 1_100));
			// A full handshake would fail in the trust manager; the resumed one reaches the check before the request.
			assertThatThrownBy(() -> MeshServers.get(client, server.port(), "counting"))
				.isInstanceOf(UnexpectedPeerException.class)
				.hasMessageContaining("its certificate is no longer valid")
				.hasMessageContaining("expired at");
			assertThat(server.log().handled).as("requests the server handled").hasValue(2);
		}
	}

	/**
	 * A counting server of this agent, called by dashboard (whose snapshots the test publishes) through a mesh pool
	 * with the given drain time; a second agent provides roots of another CA.
	 */
	private PooledCalls pooledCalls(Duration drainTime) throws Exception {
		MeshServer counting = MeshServers.start(this.agent, "counting");
		ChangingCertificateSource dashboard = new ChangingCertificateSource(identity(this.agent, "dashboard").current());
		ConnectionProvider pool = MeshConnectionPool.create("test", dashboard, this.upstreams, Duration.ofMinutes(10),
				Duration.ofMinutes(1), drainTime);
		DevAgent other = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0));
		this.upstreams.expect("127.0.0.1", counting.port(), UpstreamIdentity.of("dc1", "counting"));
		HttpClient client = MeshHttpClients.secure(HttpClient.create(pool), dashboard, this.upstreams);
		return new PooledCalls(counting, dashboard, pool, other, client);
	}

	private record PooledCalls(MeshServer counting, ChangingCertificateSource dashboard, ConnectionProvider pool, DevAgent other,
			HttpClient client) implements AutoCloseable {

		String get() {
			return MeshServers.get(this.client, this.counting.port());
		}

		void publishRoots(List<X509Certificate> roots) {
			CertificateSnapshot before = this.dashboard.current();
			this.dashboard.publish(new CertificateSnapshot(before.generation() + 1, before.identity(), before.chain(),
					before.privateKey(), roots, before.trustDomain(), SvidValidator.of(roots, Clock.systemUTC())));
		}

		@Override
		public void close() {
			this.pool.disposeLater().block(Duration.ofSeconds(5));
			this.counting.close();
			this.other.close();
		}

	}

	private static List<X509Certificate> plus(List<X509Certificate> roots, DevAgent other) {
		List<X509Certificate> all = new ArrayList<>(roots);
		all.addAll(identity(other, "web").current().roots());
		return all;
	}

}
