package dev.connect.test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLPeerUnverifiedException;

import dev.connect.client.AgentCertificateSource;
import dev.connect.client.AgentClient;
import dev.connect.client.AgentClientSettings;
import dev.connect.mesh.MeshHttpClients;
import dev.connect.mesh.UpstreamAddressBook;
import dev.connect.mesh.UpstreamIdentity;
import dev.connect.pki.InvalidSvidException;
import dev.connect.pki.SvidValidator;
import dev.connect.tls.CertificateSnapshot;
import dev.connect.tls.CertificateSource;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.ssl.SslHandler;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Calls the app under test as a given mesh service: real mutual TLS with a leaf the dev agent issued, and the
 * server's identity checked in the handshake exactly as the starter's mesh client does. Any method, body and
 * headers ({@link #request}); each call opens its own connection. For Spring's {@code WebTestClient} bound to this
 * identity, see {@link MeshWebTestClient}.
 */
public final class MeshTestClient {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final CertificateSource identity;

	private MeshTestClient(CertificateSource identity) {
		this.identity = identity;
	}

	static MeshTestClient issuedBy(TestMesh mesh, String service) {
		return new MeshTestClient(CertificateSource.of(firstSnapshot(mesh.agentUrl(), service)));
	}

	/** The first snapshot the agent hands a service: a leaf it issued now and its roots. */
	static CertificateSnapshot firstSnapshot(String agentUrl, String service) {
		AgentClient client = AgentClient.create(AgentClientSettings.defaults().withAddress(URI.create(agentUrl)));
		AgentCertificateSource source = AgentCertificateSource.start(client, service, Clock.systemUTC());
		try {
			CertificateSnapshot first = source.ready(TIMEOUT).block(TIMEOUT);
			if (first == null) {
				throw new IllegalStateException("The agent at " + agentUrl + " issued no certificate for '" + service + "'");
			}
			return first;
		}
		finally {
			source.dispose();
		}
	}

	/**
	 * Sends {@code GET https://127.0.0.1:<port><path>} to a server that must prove it is {@code service}: the same
	 * as {@code request("GET", service, port, path).send()}.
	 * @param service the service expected to answer
	 * @param port the server's port on 127.0.0.1
	 * @param path the path, starting with {@code /}, with its query if any
	 * @return the answer
	 * @throws RuntimeException when the call fails, for example when the handshake is refused (the exception names
	 * the expected and the presented identity)
	 */
	public Response get(String service, int port, String path) {
		return request("GET", service, port, path).send();
	}

	/**
	 * Starts a request to {@code https://127.0.0.1:<port><path>}, answered by a server that must prove it is
	 * {@code service}. Nothing is sent until {@link Request#send()}. Defaults: no body, and no headers beyond those
	 * Reactor Netty adds ({@code Host}, {@code User-Agent}, {@code Accept: *}{@code /*}, and {@code Content-Length}
	 * with a body); in particular no {@code Content-Type}.
	 * @param method the HTTP method in capitals, for example {@code POST}
	 * @param service the service expected to answer
	 * @param port the server's port on 127.0.0.1
	 * @param path the path, starting with {@code /}, with its query if any
	 * @return the request, immutable
	 * @throws IllegalArgumentException when the method or the path is malformed
	 */
	public Request request(String method, String service, int port, String path) {
		return new Request(this, checkMethod(method), Objects.requireNonNull(service, "'service' must not be null"),
				port, checkPath(path), List.of(), null);
	}

	/**
	 * A Reactor Netty client that calls {@code 127.0.0.1:<port>} as this identity, on a new connection per request,
	 * and accepts only a server proving it is {@code service} in this client's datacenter and the default namespace.
	 */
	HttpClient httpClient(String service, int port) {
		UpstreamAddressBook upstreams = new UpstreamAddressBook();
		upstreams.expect("127.0.0.1", port, UpstreamIdentity.of(snapshot().identity().datacenter(), service));
		return MeshHttpClients.secure(HttpClient.newConnection(), this.identity, upstreams);
	}

	private Response send(Request request) {
		AtomicReference<@Nullable String> server = new AtomicReference<>();
		byte[] body = (request.body != null) ? request.body.getBytes(StandardCharsets.UTF_8) : null;
		HttpClient client = httpClient(request.service, request.port)
			.doOnResponse((response, connection) -> server.set(peer(connection.channel().pipeline().get(SslHandler.class))))
			.headers((headers) -> {
				request.headers.forEach((header) -> headers.add(header.getKey(), header.getValue()));
				if (body != null && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
					headers.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
				}
			});
		String url = "https://127.0.0.1:" + request.port + request.path;
		HttpClient.RequestSender sender = client.request(HttpMethod.valueOf(request.method)).uri(url);
		HttpClient.ResponseReceiver<?> receiver = (body != null)
				? sender.send((outbound, out) -> out.sendByteArray(Mono.just(body))) : sender;
		Response response = receiver
			.responseSingle((answer, content) -> content.asString(StandardCharsets.UTF_8)
				.defaultIfEmpty("")
				.map((text) -> new Response(answer.status().code(), text, server.get(), Headers.of(answer.responseHeaders()))))
			.block(TIMEOUT);
		if (response == null) {
			throw new IllegalStateException("No answer from 127.0.0.1:" + request.port + request.path);
		}
		return response;
	}

	private CertificateSnapshot snapshot() {
		CertificateSnapshot snapshot = this.identity.current();
		if (snapshot == null) {
			throw new IllegalStateException("The test client has no certificate yet");
		}
		return snapshot;
	}

	private static @Nullable String peer(SslHandler ssl) {
		try {
			Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
			return SvidValidator.spiffeIdOf((X509Certificate) chain[0]).toString();
		}
		catch (SSLPeerUnverifiedException | InvalidSvidException ex) {
			return null;
		}
	}

	/**
	 * Returns the SPIFFE ID this client presents.
	 * @return the caller's identity
	 */
	public String identity() {
		return snapshot().identity().toString();
	}

	static String checkMethod(String method) {
		Objects.requireNonNull(method, "'method' must not be null");
		if (!method.matches("[A-Z]+")) {
			throw new IllegalArgumentException("Method '" + method + "' must be an HTTP method in capitals, such as GET or POST");
		}
		return method;
	}

	static String checkPath(String path) {
		Objects.requireNonNull(path, "'path' must not be null");
		if (!path.startsWith("/")) {
			throw new IllegalArgumentException("Path '" + path + "' must start with '/'");
		}
		return path;
	}

	/**
	 * A request not yet sent: immutable, each method returns a changed copy (so one request can be the base of
	 * several).
	 */
	public static final class Request {

		private final MeshTestClient client;

		private final String method;

		private final String service;

		private final int port;

		private final String path;

		private final List<Map.Entry<String, String>> headers;

		private final @Nullable String body;

		private Request(MeshTestClient client, String method, String service, int port, String path,
				List<Map.Entry<String, String>> headers, @Nullable String body) {
			this.client = client;
			this.method = method;
			this.service = service;
			this.port = port;
			this.path = path;
			this.headers = headers;
			this.body = body;
		}

		/**
		 * Adds a header; adding a name again sends it once per value, in order. Default: none.
		 * @param name the header name
		 * @param value the value
		 * @return a copy of this request with the header
		 */
		public Request header(String name, String value) {
			List<Map.Entry<String, String>> headers = new ArrayList<>(this.headers);
			headers.add(Map.entry(Objects.requireNonNull(name, "'name' must not be null"),
					Objects.requireNonNull(value, "'value' must not be null")));
			return new Request(this.client, this.method, this.service, this.port, this.path, List.copyOf(headers),
					this.body);
		}

		/**
		 * Sets the body, sent as UTF-8 with its {@code Content-Length}; set its type with
		 * {@code header("Content-Type", ...)}. Default: no body.
		 * @param body the body
		 * @return a copy of this request with the body
		 */
		public Request body(String body) {
			return new Request(this.client, this.method, this.service, this.port, this.path, this.headers,
					Objects.requireNonNull(body, "'body' must not be null"));
		}

		/**
		 * Sends the request on a new connection and waits for the whole answer, 10 seconds at most.
		 * @return the answer, whatever its status
		 * @throws RuntimeException when the call fails, for example when the handshake is refused (the exception
		 * names the expected and the presented identity)
		 */
		public Response send() {
			return this.client.send(this);
		}

		@Override
		public String toString() {
			return this.method + " https://127.0.0.1:" + this.port + this.path + " (expecting '" + this.service + "')";
		}

	}

	/**
	 * An answer.
	 * @param status the HTTP status
	 * @param body the body as text (UTF-8), empty when there was none
	 * @param server the SPIFFE ID the server presented (already checked to be the expected service), {@code null}
	 * when it could not be read back from the session
	 * @param headers the response headers, names compared without regard to case
	 */
	public record Response(int status, String body, @Nullable String server, Map<String, List<String>> headers) {

		public Response {
			headers = Headers.copyOf(headers);
		}

		/**
		 * Returns the first value of a response header.
		 * @param name the name, in any case
		 * @return the value, or {@code null} when the header is absent
		 */
		public @Nullable String header(String name) {
			List<String> values = this.headers.get(name);
			return (values != null && !values.isEmpty()) ? values.get(0) : null;
		}

	}

}
