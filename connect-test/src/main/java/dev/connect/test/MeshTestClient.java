package dev.connect.test;

import java.net.URI;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
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
import io.netty.handler.ssl.SslHandler;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;

/**
 * Calls the app under test as a given mesh service: real mutual TLS with a leaf the dev agent issued, and the
 * server's identity checked in the handshake exactly as the starter's mesh client does. Each call opens its own
 * connection.
 */
public final class MeshTestClient {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final CertificateSource identity;

	private MeshTestClient(CertificateSource identity) {
		this.identity = identity;
	}

	static MeshTestClient issuedBy(TestMesh mesh, String service) {
		AgentClient client = AgentClient.create(AgentClientSettings.defaults().withAddress(URI.create(mesh.agentUrl())));
		AgentCertificateSource source = AgentCertificateSource.start(client, service, Clock.systemUTC());
		try {
			CertificateSnapshot first = source.ready(TIMEOUT).block(TIMEOUT);
			if (first == null) {
				throw new IllegalStateException("The agent at " + mesh.agentUrl() + " issued no certificate for '"
						+ service + "'");
			}
			return new MeshTestClient(CertificateSource.of(first));
		}
		finally {
			source.dispose();
		}
	}

	/**
	 * Sends {@code GET https://127.0.0.1:<port><path>} to a server that must prove it is {@code service}.
	 * @param service the service expected to answer
	 * @param port the server's port on 127.0.0.1
	 * @param path the path, starting with {@code /}
	 * @return the answer
	 * @throws RuntimeException when the call fails, for example when the handshake is refused (the exception names
	 * the expected and the presented identity)
	 */
	public Response get(String service, int port, String path) {
		UpstreamAddressBook upstreams = new UpstreamAddressBook();
		// A server in this mesh and this client's datacenter, in the default namespace.
		upstreams.expect("127.0.0.1", port, UpstreamIdentity.of(datacenter(), service));
		AtomicReference<String> server = new AtomicReference<>();
		HttpClient client = MeshHttpClients.secure(HttpClient.newConnection(), this.identity, upstreams)
			.doOnResponse((response, connection) -> server.set(peer(connection.channel().pipeline().get(SslHandler.class))));
		Response response = client.get()
			.uri("https://127.0.0.1:" + port + path)
			.responseSingle((answer, body) -> body.asString()
				.defaultIfEmpty("")
				.map((text) -> new Response(answer.status().code(), text, server.get())))
			.block(TIMEOUT);
		if (response == null) {
			throw new IllegalStateException("No answer from 127.0.0.1:" + port + path);
		}
		return response;
	}

	private String datacenter() {
		return snapshot().identity().datacenter();
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

	/**
	 * An answer.
	 * @param status the HTTP status
	 * @param body the body as text
	 * @param server the SPIFFE ID the server presented (already checked to be the expected service), {@code null}
	 * when it could not be read back from the session
	 */
	public record Response(int status, String body, @Nullable String server) {
	}

}
