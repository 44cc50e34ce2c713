package dev.connect.test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import javax.net.ssl.SSLException;

import dev.connect.api.CheckDefinition;
import dev.connect.api.GoDuration;
import dev.connect.api.ServiceRegistration;
import dev.connect.authz.AgentAuthorizer;
import dev.connect.client.AgentCertificateSource;
import dev.connect.client.AgentClient;
import dev.connect.client.AgentClientSettings;
import dev.connect.identity.TrustDomain;
import dev.connect.tls.CertificateSnapshot;
import dev.connect.tls.IdentityTrustManager;
import dev.connect.tls.SnapshotKeyManager;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.KeyManagerFactoryWrapper;
import io.netty.handler.ssl.util.TrustManagerFactoryWrapper;
import org.jspecify.annotations.Nullable;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A mesh server in a test that answers as a named service, so that an app which calls that service can be tested
 * without running it. Made by {@link TestMesh#stub(String)}:
 * <ol>
 * <li>it listens on a free port of 127.0.0.1 with mutual TLS, presenting a leaf the test agent issues for the
 * service (renewed as the agent renews it), and requires a client certificate that validates against the agent's
 * roots in its trust domain, as the starter's server does;</li>
 * <li>it is registered with the agent as a Connect-native instance of the service, with a TTL check that starts
 * passing and lasts 24 hours, so an app's load-balanced {@code http://<service>/...} calls reach it;</li>
 * <li>it authorizes every request by the agent's intentions ({@code POST /v1/agent/connect/authorize}, no cache),
 * so a caller without an allowing intention gets the starter's 403 {@code application/problem+json}, and 503 when
 * the agent gives no decision;</li>
 * <li>an allowed request gets the answer given to {@link #respond} for its method and path (the query is not
 * compared), else 404 with a text naming the missing answer;</li>
 * <li>every request, refused or not, is recorded ({@link #requests()}) before its answer is sent, so a test reads
 * it as soon as its call returned.</li>
 * </ol>
 * Closing it deregisters it and stops it; {@link TestMesh#close()} closes the stubs still open. Thread-safe.
 */
public final class StubUpstream implements AutoCloseable {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final Duration CHECK_TTL = Duration.ofHours(24);

	private final String service;

	private final String instanceId;

	private final AgentClient agent;

	private final AgentCertificateSource identity;

	private final StubHandler handler;

	private final DisposableServer server;

	private final Consumer<StubUpstream> onClose;

	private final AtomicBoolean closed = new AtomicBoolean();

	private StubUpstream(String service, AgentClient agent, AgentCertificateSource identity, StubHandler handler,
			DisposableServer server, Consumer<StubUpstream> onClose) {
		this.service = service;
		this.instanceId = service + "-stub-" + server.port();
		this.agent = agent;
		this.identity = identity;
		this.handler = handler;
		this.server = server;
		this.onClose = onClose;
	}

	static StubUpstream start(String agentUrl, String service, Consumer<StubUpstream> onClose) {
		Objects.requireNonNull(service, "'service' must not be null");
		AgentClient agent = AgentClient.create(AgentClientSettings.defaults().withAddress(URI.create(agentUrl)));
		AgentCertificateSource identity = AgentCertificateSource.start(agent, service, Clock.systemUTC());
		DisposableServer server = null;
		try {
			identity.ready(TIMEOUT).block(TIMEOUT);
			StubHandler handler = new StubHandler(service,
					new AgentAuthorizer(agent, service, () -> trustDomainOf(identity.current()), TIMEOUT));
			server = HttpServer.create()
				.host("127.0.0.1")
				.port(0)
				.secure((spec) -> spec.sslContext(tls(identity, service)))
				.handle(handler)
				.bindNow();
			StubUpstream stub = new StubUpstream(service, agent, identity, handler, server, onClose);
			stub.register();
			return stub;
		}
		catch (RuntimeException ex) {
			if (server != null) {
				server.disposeNow();
			}
			identity.dispose();
			throw new IllegalStateException("Unable to start a stub of '" + service + "' against the agent at " + agentUrl,
					ex);
		}
	}

	private static @Nullable TrustDomain trustDomainOf(@Nullable CertificateSnapshot snapshot) {
		return (snapshot != null) ? snapshot.trustDomain() : null;
	}

	private static SslContext tls(AgentCertificateSource identity, String service) {
		try {
			return SslContextBuilder.forServer(new KeyManagerFactoryWrapper(new SnapshotKeyManager(identity)))
				.trustManager(new TrustManagerFactoryWrapper(
						new IdentityTrustManager(identity, IdentityTrustManager.PeerVerifier.none())))
				.clientAuth(ClientAuth.REQUIRE)
				.protocols("TLSv1.3", "TLSv1.2")
				.build();
		}
		catch (SSLException ex) {
			throw new IllegalStateException("Unable to build the TLS context of the stub of '" + service + "'", ex);
		}
	}

	private void register() {
		CheckDefinition check = new CheckDefinition(this.instanceId + "-ttl", "Stub of " + this.service, null,
				"passing", null, GoDuration.format(CHECK_TTL), null, null, null, null, false, null, null, null, null, null,
				null);
		this.agent
			.register(ServiceRegistration.connectNative(this.instanceId, this.service, "127.0.0.1", port(),
					List.of(check)))
			.block(TIMEOUT);
	}

	/**
	 * Answers an allowed {@code method path} request with a status and a body. Answering the same method and path
	 * again replaces the answer. {@code Content-Type} default: {@code application/json} when the body starts with
	 * <code>{</code> or {@code [} (after white space), else {@code text/plain;charset=UTF-8}.
	 * @param method the HTTP method in capitals, for example {@code GET}
	 * @param path the path without query, starting with {@code /}
	 * @param status the status, from 200 to 599
	 * @param body the body, sent as UTF-8
	 * @return this stub
	 * @throws IllegalArgumentException when the method, path or status is malformed
	 */
	public StubUpstream respond(String method, String path, int status, String body) {
		return respond(method, path, status, body, Map.of());
	}

	/**
	 * Answers an allowed {@code method path} request with a status, a body and headers, as
	 * {@link #respond(String, String, int, String)} does; a {@code Content-Type} among the headers replaces the
	 * default one. {@code Content-Length} is always the body's.
	 * @param method the HTTP method in capitals, for example {@code GET}
	 * @param path the path without query, starting with {@code /}
	 * @param status the status, from 200 to 599
	 * @param body the body, sent as UTF-8
	 * @param headers response headers by name
	 * @return this stub
	 * @throws IllegalArgumentException when the method, path or status is malformed
	 */
	public StubUpstream respond(String method, String path, int status, String body, Map<String, String> headers) {
		MeshTestClient.checkMethod(method);
		MeshTestClient.checkPath(path);
		if (path.contains("?")) {
			throw new IllegalArgumentException("Path '" + path + "' must have no query: the stub answers by path only");
		}
		if (status < 200 || status > 599) {
			throw new IllegalArgumentException("Status " + status + " must be from 200 to 599");
		}
		Objects.requireNonNull(body, "'body' must not be null");
		Objects.requireNonNull(headers, "'headers' must not be null");
		this.handler.answer(method, path, StubHandler.Answer.of(status, body, headers));
		return this;
	}

	/**
	 * Returns the requests received so far, in order, refused ones included.
	 * @return a copy of the list
	 */
	public List<ReceivedRequest> requests() {
		return this.handler.requests();
	}

	/**
	 * Returns the service this stub answers as.
	 * @return the service name
	 */
	public String service() {
		return this.service;
	}

	/**
	 * Returns the port this stub listens on, on 127.0.0.1.
	 * @return the port
	 */
	public int port() {
		return this.server.port();
	}

	/**
	 * Returns the SPIFFE ID this stub presents.
	 * @return for example {@code spiffe://<trust domain>/ns/default/dc/dc1/svc/counting}
	 */
	public String identity() {
		CertificateSnapshot snapshot = this.identity.current();
		return (snapshot != null) ? snapshot.identity().toString() : "";
	}

	/**
	 * Deregisters this stub from the agent and stops it. Closing it again does nothing.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		try {
			this.agent.deregister(this.instanceId).block(TIMEOUT);
		}
		finally {
			this.server.disposeNow();
			this.identity.dispose();
			this.onClose.accept(this);
		}
	}

	@Override
	public String toString() {
		return "StubUpstream['" + this.service + "' at 127.0.0.1:" + port() + "]";
	}

	/**
	 * A request the stub received.
	 * @param caller the caller's SPIFFE ID, proven in the handshake; {@code null} when none could be read
	 * @param method the HTTP method
	 * @param path the path, without query
	 * @param query the query, without {@code ?}; empty when there was none
	 * @param headers the request headers, names compared without regard to case
	 * @param body the body as text (UTF-8), empty when there was none
	 * @param status the status the stub answered: 403 when intentions refused the caller
	 */
	public record ReceivedRequest(@Nullable String caller, String method, String path, String query,
			Map<String, List<String>> headers, String body, int status) {

		public ReceivedRequest {
			headers = Headers.copyOf(headers);
		}

		/**
		 * Returns the first value of a request header.
		 * @param name the name, in any case
		 * @return the value, or {@code null} when the header is absent
		 */
		public @Nullable String header(String name) {
			List<String> values = this.headers.get(name);
			return (values != null && !values.isEmpty()) ? values.get(0) : null;
		}

	}

}
