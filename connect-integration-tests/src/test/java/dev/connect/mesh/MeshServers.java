package dev.connect.mesh;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLPeerUnverifiedException;

import dev.connect.agent.DevAgent;
import dev.connect.client.AgentCertificateSource;
import dev.connect.client.AgentClient;
import dev.connect.client.AgentClientSettings;
import dev.connect.identity.ServiceIdentity;
import dev.connect.identity.TrustDomain;
import dev.connect.pki.SvidValidator;
import dev.connect.pki.TestPki;
import dev.connect.tls.CertificateSnapshot;
import dev.connect.tls.CertificateSource;
import dev.connect.tls.IdentityTrustManager;
import dev.connect.tls.SnapshotKeyManager;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.KeyManagerFactoryWrapper;
import io.netty.handler.ssl.util.TrustManagerFactoryWrapper;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.util.context.Context;

/**
 * Real mesh servers for the mesh client's tests, and what those tests need around them: identities from a dev
 * agent or from {@link TestPki}, and calls.
 */
final class MeshServers {

	static final String TRUST_DOMAIN = "11111111-2222-3333-4444-555555555555.consul";

	private MeshServers() {
	}

	/**
	 * Starts a mesh server on 127.0.0.1 that answers every request with its service name, requires a client
	 * certificate of its mesh, and logs what it saw.
	 */
	static MeshServer start(CertificateSource source, String service) throws Exception {
		ServerLog log = new ServerLog();
		var context = SslContextBuilder.forServer(new KeyManagerFactoryWrapper(new SnapshotKeyManager(source)))
			.trustManager(new TrustManagerFactoryWrapper(new IdentityTrustManager(source, IdentityTrustManager.PeerVerifier.none())))
			.clientAuth(ClientAuth.REQUIRE)
			.build();
		DisposableServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.secure((spec) -> spec.sslContext(context))
			.doOnChannelInit((observer, channel, address) -> {
				log.opened.incrementAndGet();
				channel.closeFuture().addListener((closed) -> log.closed.countDown());
				// Right behind TLS: every byte of application data the client sent, before HTTP decoding.
				channel.pipeline().addAfter(NettyPipeline.SslHandler, "requestBytes", new RequestBytes(log.requestBytes));
			})
			.handle((request, response) -> {
				log.handled.incrementAndGet();
				request.withConnection((connection) -> log.callerSerials.add(callerSerial(connection.channel())));
				return response.sendString(Mono.just(service));
			})
			.bindNow();
		return new MeshServer(server, log);
	}

	/** Starts a mesh server for a service with a leaf the agent issued. */
	static MeshServer start(DevAgent issuer, String service) throws Exception {
		return start(identity(issuer, service), service);
	}

	/** The first snapshot an agent hands a service, as a fixed source. */
	static CertificateSource identity(DevAgent agent, String service) {
		AgentClient client = AgentClient.create(AgentClientSettings.defaults().withAddress(URI.create(agent.httpAddress())));
		AgentCertificateSource source = AgentCertificateSource.start(client, service, Clock.systemUTC());
		try {
			return CertificateSource.of(source.ready(Duration.ofSeconds(10)).block());
		}
		finally {
			source.dispose();
		}
	}

	static String get(HttpClient client, int port) {
		return client.get().uri("https://127.0.0.1:" + port + "/count")
			.responseSingle((response, content) -> content.asString())
			.block(Duration.ofSeconds(10));
	}

	/** A request meant for a service, as the starter's load-balanced calls state it. */
	static String get(HttpClient client, int port, String service) {
		return client.get().uri("https://127.0.0.1:" + port + "/count")
			.responseSingle((response, content) -> content.asString())
			.contextWrite(Context.of(MeshHttpClients.UPSTREAM_SERVICE, service))
			.block(Duration.ofSeconds(10));
	}

	/**
	 * The client hands a connection back to its pool just after the caller got the body: a call made at once may
	 * find the pool empty and open a second connection, which is not what these tests are about.
	 */
	static void awaitRelease() throws InterruptedException {
		Thread.sleep(100);
	}

	static TestPki.Issued root(String trustDomain) {
		Instant now = Instant.now();
		return TestPki.root(trustDomain, now.minus(Duration.ofDays(3)), now.plus(Duration.ofDays(3)));
	}

	static TestPki.Issued leaf(String trustDomain, String service, TestPki.Issued root) {
		Instant now = Instant.now();
		return TestPki.leaf(uri(trustDomain, service))
			.validity(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)))
			.signedBy(root);
	}

	static String uri(String trustDomain, String service) {
		return "spiffe://" + trustDomain + "/ns/default/dc/dc1/svc/" + service;
	}

	static CertificateSnapshot snapshot(String trustDomain, String service, TestPki.Issued leaf, TestPki.Issued root) {
		TrustDomain td = TrustDomain.parse(trustDomain);
		List<X509Certificate> roots = List.of(root.certificate());
		return new CertificateSnapshot(1, ServiceIdentity.of(td, "dc1", service), List.of(leaf.certificate()),
				leaf.keyPair().getPrivate(), roots, td, SvidValidator.of(roots, Clock.systemUTC()));
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

	/** A running mesh server and its log; closing it stops it. */
	record MeshServer(DisposableServer server, ServerLog log) implements AutoCloseable {

		int port() {
			return this.server.port();
		}

		@Override
		public void close() {
			this.server.disposeNow();
		}

	}

	/** What a test server saw: connections opened and closed, request bytes, requests and their callers' leaves. */
	static final class ServerLog {

		final AtomicInteger opened = new AtomicInteger();

		final CountDownLatch closed = new CountDownLatch(1);

		final AtomicLong requestBytes = new AtomicLong();

		final AtomicInteger handled = new AtomicInteger();

		final List<String> callerSerials = new CopyOnWriteArrayList<>();

	}

	/** Counts the decrypted bytes a connection receives. */
	private static final class RequestBytes extends ChannelInboundHandlerAdapter {

		private final AtomicLong count;

		RequestBytes(AtomicLong count) {
			this.count = count;
		}

		@Override
		public void channelRead(ChannelHandlerContext context, Object message) {
			if (message instanceof ByteBuf bytes) {
				this.count.addAndGet(bytes.readableBytes());
			}
			context.fireChannelRead(message);
		}

	}

}
