package dev.connect.client;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Consumer;

import javax.net.ssl.SSLPeerUnverifiedException;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.identity.ServiceIdentity;
import dev.connect.identity.TrustDomain;
import dev.connect.pki.SvidValidator;
import dev.connect.pki.TestPki;
import dev.connect.tls.CertificateSnapshot;
import dev.connect.tls.CertificateSource;
import dev.connect.tls.IdentityTrustManager;
import dev.connect.tls.MeshConnectionPool;
import dev.connect.tls.MeshHttpClients;
import dev.connect.tls.SnapshotKeyManager;
import dev.connect.tls.UnexpectedPeerException;
import dev.connect.tls.UpstreamAddressBook;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.KeyManagerFactoryWrapper;
import io.netty.handler.ssl.util.TrustManagerFactoryWrapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;
import reactor.util.context.Context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The mesh client against real mesh servers whose certificates the dev agent issued.
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

	private CertificateSource identity(String service) {
		return identity(this.agent, service);
	}

	private static CertificateSource identity(DevAgent agent, String service) {
		AgentClient client = AgentClient.create(AgentClientSettings.defaults().withAddress(URI.create(agent.httpAddress())));
		AgentCertificateSource source = AgentCertificateSource.start(client, service, Clock.systemUTC());
		try {
			return CertificateSource.of(source.ready(Duration.ofSeconds(10)).block());
		}
		finally {
			source.dispose();
		}
	}

	private DisposableServer meshServer(String service, AtomicInteger handled) throws Exception {
		return meshServer(this.agent, service, handled, new ConnectionLog());
	}

	private static DisposableServer meshServer(DevAgent issuer, String service, AtomicInteger handled) throws Exception {
		return meshServer(issuer, service, handled, new ConnectionLog());
	}

	private HttpClient client() {
		return MeshHttpClients.secure(HttpClient.create(), identity("dashboard"), this.upstreams);
	}

	@Test
	void theExpectedServiceAnswersWithoutAnyHostnameCheck() throws Exception {
		AtomicInteger handled = new AtomicInteger();
		ConnectionLog log = new ConnectionLog();
		DisposableServer counting = meshServer(this.agent, "counting", handled, log);
		try {
			this.upstreams.expect("127.0.0.1", counting.port(), "counting");
			String body = get(client(), counting.port());
			assertThat(body).isEqualTo("counting");
			assertThat(handled).hasValue(1);
			assertThat(log.requestBytes.get()).as("request bytes the server decrypted").isGreaterThan(0);
		}
		finally {
			counting.disposeNow();
		}
	}

	@Test
	void anImpostorWithAValidCertificateForAnotherServiceIsRefusedBeforeAnyRequestByte() throws Exception {
		AtomicInteger handled = new AtomicInteger();
		ConnectionLog log = new ConnectionLog();
		DisposableServer impostor = meshServer(this.agent, "billing", handled, log);
		try {
			this.upstreams.expect("127.0.0.1", impostor.port(), "counting");
			assertThatThrownBy(() -> get(client(), impostor.port()))
				.hasStackTraceContaining("Expected service 'counting' at 127.0.0.1:" + impostor.port()
						+ ", but the server presented 'spiffe://" + this.agent.trustDomain() + "/ns/default/dc/dc1/svc/billing'");
			assertThat(log.opened).as("the impostor was reached").hasValue(1);
			assertThat(log.requestBytes).as("request bytes the impostor received").hasValue(0);
			assertThat(handled).hasValue(0);
		}
		finally {
			impostor.disposeNow();
		}
	}

	@Test
	void aServerWhoseChainComesFromAnotherCaIsRefusedBeforeAnyRequestByte() throws Exception {
		try (DevAgent other = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0))) {
			AtomicInteger handled = new AtomicInteger();
			ConnectionLog log = new ConnectionLog();
			DisposableServer foreign = meshServer(other, "counting", handled, log);
			try {
				this.upstreams.expect("127.0.0.1", foreign.port(), "counting");
				assertThatThrownBy(() -> get(client(), foreign.port()))
					.hasStackTraceContaining("does not chain to a trusted root of this mesh");
				assertThat(log.requestBytes).as("request bytes the server received").hasValue(0);
				assertThat(handled).hasValue(0);
			}
			finally {
				foreign.disposeNow();
			}
		}
	}

	@Test
	void anAddressNobodyRecordedIsRefused() throws Exception {
		AtomicInteger handled = new AtomicInteger();
		DisposableServer unknown = meshServer("counting", handled);
		try {
			assertThatThrownBy(() -> get(client(), unknown.port()))
				.hasStackTraceContaining("No mesh service is expected at 127.0.0.1:" + unknown.port());
			assertThat(handled).hasValue(0);
		}
		finally {
			unknown.disposeNow();
		}
	}

	@Test
	void anAddressRegisteredForTwoServicesIsRefusedUntilOnlyOneIsLeft() throws Exception {
		AtomicInteger handled = new AtomicInteger();
		ConnectionLog log = new ConnectionLog();
		DisposableServer counting = meshServer(this.agent, "counting", handled, log);
		try {
			// A server proving 'counting' where 'billing' is registered too: a billing call could land here.
			this.upstreams.expect("127.0.0.1", counting.port(), "counting");
			this.upstreams.expect("127.0.0.1", counting.port(), "billing");
			assertThatThrownBy(() -> get(client(), counting.port())).hasStackTraceContaining(
					"Services [billing, counting] are all registered at 127.0.0.1:" + counting.port());
			assertThat(log.requestBytes).as("request bytes the server received").hasValue(0);
			this.upstreams.forget("127.0.0.1", counting.port(), "billing");
			assertThat(get(client(), counting.port())).isEqualTo("counting");
		}
		finally {
			counting.disposeNow();
		}
	}

	@Test
	void aRequestMeantForAnotherServiceThanTheConnectionProvedIsNotSentEvenOnAPooledConnection() throws Exception {
		AtomicInteger handled = new AtomicInteger();
		ConnectionLog log = new ConnectionLog();
		DisposableServer counting = meshServer(this.agent, "counting", handled, log);
		try {
			this.upstreams.expect("127.0.0.1", counting.port(), "counting");
			HttpClient client = client();
			assertThat(get(client, counting.port(), "counting")).isEqualTo("counting");
			long sent = log.requestBytes.get();
			awaitRelease();
			// The address check passes (counting is expected there); the request itself was meant for billing.
			assertThatThrownBy(() -> get(client, counting.port(), "billing")).isInstanceOf(UnexpectedPeerException.class)
				.hasMessage("Expected service 'billing' at 127.0.0.1:" + counting.port() + ", but the server presented 'spiffe://"
						+ this.agent.trustDomain() + "/ns/default/dc/dc1/svc/counting'");
			assertThat(log.opened).as("the pooled connection was the one offered").hasValue(1);
			assertThat(log.requestBytes).as("request bytes the server received").hasValue(sent);
			assertThat(handled).hasValue(1);
			assertThat(get(client, counting.port(), "counting")).isEqualTo("counting");
		}
		finally {
			counting.disposeNow();
		}
	}

	@Test
	void pooledConnectionsAreReusedAndClosedOnceTheirInstanceLeaves() throws Exception {
		AtomicInteger handled = new AtomicInteger();
		ConnectionLog connections = new ConnectionLog();
		DisposableServer counting = meshServer(this.agent, "counting", handled, connections);
		ConnectionProvider pool = MeshConnectionPool.create("test", identity("dashboard"), this.upstreams,
				Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofSeconds(5));
		try {
			this.upstreams.expect("127.0.0.1", counting.port(), "counting");
			HttpClient client = MeshHttpClients.secure(HttpClient.create(pool), identity("dashboard"), this.upstreams);
			for (int i = 0; i < 3; i++) {
				assertThat(get(client, counting.port())).isEqualTo("counting");
				awaitRelease();
			}
			assertThat(connections.opened).as("one kept-alive connection for three calls").hasValue(1);
			this.upstreams.forget("127.0.0.1", counting.port(), "counting");
			// No further call: the pool's background eviction closes the idle connection by itself.
			assertThat(connections.closed.await(10, TimeUnit.SECONDS)).as("the connection to the departed instance was closed").isTrue();
		}
		finally {
			pool.disposeLater().block(Duration.ofSeconds(5));
			counting.disposeNow();
		}
	}

	@Test
	void withoutADrainTimeAnAddedRootMakesTheNextCallOpenANewConnection() throws Exception {
		try (PooledCalls calls = pooledCalls(Duration.ZERO)) {
			assertThat(calls.get()).isEqualTo("counting");
			awaitRelease();
			assertThat(calls.get()).isEqualTo("counting");
			awaitRelease();
			assertThat(calls.connections.opened).hasValue(1);
			calls.publishRoots(plus(calls.dashboard.current().roots(), calls.other));
			assertThat(calls.get()).isEqualTo("counting");
			assertThat(calls.connections.opened).as("a new handshake after the roots changed").hasValue(2);
			assertThat(calls.handled).hasValue(3);
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
			while (calls.connections.opened.get() < 2 && System.nanoTime() < deadline) {
				assertThat(calls.get()).isEqualTo("counting");
				made++;
				awaitRelease();
			}
			assertThat(calls.connections.opened).as("the connection from before the new root was replaced").hasValue(2);
			assertThat(calls.connections.closed.await(5, TimeUnit.SECONDS)).as("and closed").isTrue();
			assertThat(calls.handled).hasValue(made);
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
			assertThat(calls.connections.opened).as("the call tried a new handshake").hasValue(2);
			assertThat(calls.handled).as("only the call before the change was served").hasValue(1);
		}
	}

	/**
	 * A counting server of this agent, called by dashboard (whose snapshots the test publishes) through a mesh pool
	 * with the given drain time; a second agent provides roots of another CA.
	 */
	private PooledCalls pooledCalls(Duration drainTime) throws Exception {
		AtomicInteger handled = new AtomicInteger();
		ConnectionLog connections = new ConnectionLog();
		DisposableServer counting = meshServer(this.agent, "counting", handled, connections);
		ChangingSource dashboard = new ChangingSource(identity("dashboard").current());
		ConnectionProvider pool = MeshConnectionPool.create("test", dashboard, this.upstreams, Duration.ofMinutes(10),
				Duration.ofMinutes(1), drainTime);
		DevAgent other = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0));
		this.upstreams.expect("127.0.0.1", counting.port(), "counting");
		HttpClient client = MeshHttpClients.secure(HttpClient.create(pool), dashboard, this.upstreams);
		return new PooledCalls(handled, connections, counting, dashboard, pool, other, client);
	}

	private record PooledCalls(AtomicInteger handled, ConnectionLog connections, DisposableServer counting,
			ChangingSource dashboard, ConnectionProvider pool, DevAgent other, HttpClient client)
			implements AutoCloseable {

		String get() {
			return MeshHttpClientsIntegrationTests.get(this.client, this.counting.port());
		}

		void publishRoots(List<X509Certificate> roots) {
			CertificateSnapshot before = this.dashboard.current();
			this.dashboard.publish(new CertificateSnapshot(before.generation() + 1, before.identity(), before.chain(),
					before.privateKey(), roots, before.trustDomain(), SvidValidator.of(roots, Clock.systemUTC())));
		}

		@Override
		public void close() {
			this.pool.disposeLater().block(Duration.ofSeconds(5));
			this.counting.disposeNow();
			this.other.close();
		}

	}

	private static List<X509Certificate> plus(List<X509Certificate> roots, DevAgent other) {
		List<X509Certificate> all = new ArrayList<>(roots);
		all.addAll(identity(other, "web").current().roots());
		return all;
	}

	@ParameterizedTest
	@EnumSource(value = SslProvider.class, names = { "JDK", "OPENSSL" })
	void aNewConnectionAfterANewSnapshotPresentsTheNewLeafInsteadOfResumingTheOldSession(SslProvider provider)
			throws Exception {
		String trustDomain = "11111111-2222-3333-4444-555555555555.consul";
		TestPki.Issued root = root(trustDomain);
		ChangingSource dashboard = new ChangingSource(snapshot(trustDomain, "dashboard", leaf(trustDomain, "dashboard", root), root));
		CertificateSource counting = CertificateSource.of(snapshot(trustDomain, "counting", leaf(trustDomain, "counting", root), root));
		List<String> callers = new CopyOnWriteArrayList<>();
		DisposableServer server = meshServer(counting, "counting", new AtomicInteger(), new ConnectionLog(), callers::add);
		try {
			this.upstreams.expect("127.0.0.1", server.port(), "counting");
			// No pool: every call is a new connection, so only session resumption could carry an old leaf over.
			HttpClient client = MeshHttpClients.secure(HttpClient.newConnection(), dashboard, this.upstreams, provider);
			get(client, server.port());
			get(client, server.port());
			TestPki.Issued renewed = leaf(trustDomain, "dashboard", root);
			CertificateSnapshot before = dashboard.current();
			dashboard.publish(new CertificateSnapshot(before.generation() + 1, before.identity(),
					List.of(renewed.certificate()), renewed.keyPair().getPrivate(), before.roots(), before.trustDomain(),
					before.validator()));
			get(client, server.port());
			String first = before.leaf().getSerialNumber().toString(16);
			assertThat(callers).as("the caller's leaf as the server saw it, call by call")
				.containsExactly(first, first, renewed.certificate().getSerialNumber().toString(16));
		}
		finally {
			server.disposeNow();
		}
	}

	@Test
	void anExpiredServerLeafIsRefusedBeforeAnyRequestByte() throws Exception {
		Instant now = Instant.now();
		assertBadServerRefused((root, trustDomain) -> TestPki.leaf(uri(trustDomain, "counting"))
			.validity(now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)))
			.signedBy(root), "expired");
	}

	@Test
	void aServerLeafWithTwoUriSansIsRefusedBeforeAnyRequestByte() throws Exception {
		Instant now = Instant.now();
		assertBadServerRefused((root, trustDomain) -> TestPki.leaf(uri(trustDomain, "counting"))
			.uris(uri(trustDomain, "billing"))
			.validity(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)))
			.signedBy(root), "has 2 URI SANs; an X.509-SVID needs exactly one");
	}

	private void assertBadServerRefused(BiFunction<TestPki.Issued, String, TestPki.Issued> serverLeaf, String reason)
			throws Exception {
		String trustDomain = "11111111-2222-3333-4444-555555555555.consul";
		TestPki.Issued root = root(trustDomain);
		CertificateSource clientSource = CertificateSource.of(snapshot(trustDomain, "dashboard", leaf(trustDomain, "dashboard", root), root));
		CertificateSource serverSource = CertificateSource.of(snapshot(trustDomain, "counting", serverLeaf.apply(root, trustDomain), root));
		AtomicInteger handled = new AtomicInteger();
		ConnectionLog log = new ConnectionLog();
		DisposableServer server = meshServer(serverSource, "counting", handled, log);
		try {
			this.upstreams.expect("127.0.0.1", server.port(), "counting");
			HttpClient http = MeshHttpClients.secure(HttpClient.create(), clientSource, this.upstreams);
			assertThatThrownBy(() -> get(http, server.port())).hasStackTraceContaining(reason);
			assertThat(log.requestBytes).as("request bytes the server received").hasValue(0);
			assertThat(handled).as("the server never received a request").hasValue(0);
		}
		finally {
			server.disposeNow();
		}
	}

	/**
	 * The client hands a connection back to its pool just after the caller got the body: a call made at once may
	 * find the pool empty and open a second connection, which is not what these tests are about.
	 */
	private static void awaitRelease() throws InterruptedException {
		Thread.sleep(100);
	}

	private static TestPki.Issued root(String trustDomain) {
		Instant now = Instant.now();
		return TestPki.root(trustDomain, now.minus(Duration.ofDays(3)), now.plus(Duration.ofDays(3)));
	}

	private static TestPki.Issued leaf(String trustDomain, String service, TestPki.Issued root) {
		Instant now = Instant.now();
		return TestPki.leaf(uri(trustDomain, service))
			.validity(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)))
			.signedBy(root);
	}

	private static String uri(String trustDomain, String service) {
		return "spiffe://" + trustDomain + "/ns/default/dc/dc1/svc/" + service;
	}

	private static CertificateSnapshot snapshot(String trustDomain, String service, TestPki.Issued leaf,
			TestPki.Issued root) {
		TrustDomain td = TrustDomain.parse(trustDomain);
		List<X509Certificate> roots = List.of(root.certificate());
		return new CertificateSnapshot(1, ServiceIdentity.of(td, "dc1", service), List.of(leaf.certificate()),
				leaf.keyPair().getPrivate(), roots, td, SvidValidator.of(roots, Clock.systemUTC()));
	}

	private static String get(HttpClient client, int port) {
		return client.get().uri("https://127.0.0.1:" + port + "/count")
			.responseSingle((response, content) -> content.asString())
			.block(Duration.ofSeconds(10));
	}

	/** A request meant for a service, as the starter's load-balanced calls state it. */
	private static String get(HttpClient client, int port, String service) {
		return client.get().uri("https://127.0.0.1:" + port + "/count")
			.responseSingle((response, content) -> content.asString())
			.contextWrite(Context.of(MeshHttpClients.UPSTREAM_SERVICE, service))
			.block(Duration.ofSeconds(10));
	}

	private static DisposableServer meshServer(DevAgent issuer, String service, AtomicInteger handled,
			ConnectionLog connections) throws Exception {
		return meshServer(identity(issuer, service), service, handled, connections);
	}

	private static DisposableServer meshServer(CertificateSource source, String service, AtomicInteger handled,
			ConnectionLog connections) throws Exception {
		return meshServer(source, service, handled, connections, (callerSerial) -> {
		});
	}

	/** A mesh server that also reports, per request, the serial of the leaf the caller's TLS session holds. */
	private static DisposableServer meshServer(CertificateSource source, String service, AtomicInteger handled,
			ConnectionLog connections, Consumer<String> callerSerials) throws Exception {
		var context = SslContextBuilder.forServer(new KeyManagerFactoryWrapper(new SnapshotKeyManager(source)))
			.trustManager(new TrustManagerFactoryWrapper(new IdentityTrustManager(source, IdentityTrustManager.PeerVerifier.none())))
			.clientAuth(ClientAuth.REQUIRE)
			.build();
		return HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.secure((spec) -> spec.sslContext(context))
			.doOnChannelInit((observer, channel, address) -> {
				connections.opened.incrementAndGet();
				channel.closeFuture().addListener((closed) -> connections.closed.countDown());
				// Right behind TLS: every byte of application data the client sent, before HTTP decoding.
				channel.pipeline().addAfter(NettyPipeline.SslHandler, "requestBytes", new ChannelInboundHandlerAdapter() {
					@Override
					public void channelRead(ChannelHandlerContext context, Object message) {
						if (message instanceof ByteBuf bytes) {
							connections.requestBytes.addAndGet(bytes.readableBytes());
						}
						context.fireChannelRead(message);
					}
				});
			})
			.handle((request, response) -> {
				handled.incrementAndGet();
				request.withConnection((connection) -> callerSerials.accept(callerSerial(connection.channel())));
				return response.sendString(Mono.just(service));
			})
			.bindNow();
	}

	private static String callerSerial(Channel channel) {
		try {
			X509Certificate leaf = (X509Certificate) channel.pipeline().get(SslHandler.class).engine().getSession()
				.getPeerCertificates()[0];
			return leaf.getSerialNumber().toString(16);
		}
		catch (SSLPeerUnverifiedException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Connections a test server saw open and close. */
	static final class ConnectionLog {

		final AtomicInteger opened = new AtomicInteger();

		final AtomicLong requestBytes = new AtomicLong();

		final CountDownLatch closed = new CountDownLatch(1);

	}

	/** A certificate source the test changes by hand. */
	static final class ChangingSource implements CertificateSource {

		private volatile CertificateSnapshot current;

		private final List<Consumer<CertificateSnapshot>> listeners = new CopyOnWriteArrayList<>();

		ChangingSource(CertificateSnapshot first) {
			this.current = first;
		}

		@Override
		public CertificateSnapshot current() {
			return this.current;
		}

		@Override
		public void onChange(Consumer<CertificateSnapshot> listener) {
			this.listeners.add(listener);
		}

		void publish(CertificateSnapshot snapshot) {
			this.current = snapshot;
			this.listeners.forEach((listener) -> listener.accept(snapshot));
		}

	}

}
