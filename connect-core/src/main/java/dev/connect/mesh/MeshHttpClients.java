package dev.connect.mesh;

import java.time.Instant;

import javax.net.ssl.SSLException;

import dev.connect.tls.CertificateSource;
import dev.connect.tls.IdentityTrustManager;
import dev.connect.tls.SnapshotKeyManager;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.KeyManagerFactoryWrapper;
import io.netty.handler.ssl.util.TrustManagerFactoryWrapper;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientRequest;
import reactor.netty.tcp.SslProvider;

/**
 * Reactor Netty clients for mesh calls: they present the current leaf, trust the current roots, make no hostname
 * check (service leaves carry only a SPIFFE ID) and instead verify inside the handshake that the server is the
 * service expected at its address ({@link UpstreamAddressBook}). Key and trust managers read the certificate source
 * on every handshake, so rotation needs no new client; TLS sessions are never resumed across snapshots, so a new
 * connection after a rotation always presents the new leaf and checks the server against the new roots.
 */
public final class MeshHttpClients {

	/**
	 * The key under which a caller puts, in the Reactor context of a request, the service the request is meant for
	 * (a {@code String}). When present, the request is sent only on a connection whose server proved that service,
	 * else it fails with {@link UnexpectedPeerException} before any byte of it is written. The address check of the
	 * handshake holds whether or not it is present; this one also binds each request, including one on a pooled
	 * connection, to the service it was meant for. The starter sets it on every load-balanced mesh call.
	 */
	public static final String UPSTREAM_SERVICE = "dev.connect.upstreamService";

	private MeshHttpClients() {
	}

	/**
	 * Makes a client mesh-secure.
	 * @param client the client to configure (its connection pool and event loops are kept)
	 * @param source the service's certificate source
	 * @param upstreams which service is expected at which address
	 * @return the configured client
	 */
	public static HttpClient secure(HttpClient client, CertificateSource source, UpstreamAddressBook upstreams) {
		return secure(client, source, upstreams, SslContext.defaultClientProvider());
	}

	/**
	 * Makes a client mesh-secure with a chosen TLS implementation (benchmarks compare them; applications keep the
	 * default, which is BoringSSL when netty-tcnative is present and the JDK's otherwise).
	 * @param client the client to configure (its connection pool and event loops are kept)
	 * @param source the service's certificate source
	 * @param upstreams which service is expected at which address
	 * @param provider {@code OPENSSL} (BoringSSL through netty-tcnative) or {@code JDK}
	 * @return the configured client
	 */
	public static HttpClient secure(HttpClient client, CertificateSource source, UpstreamAddressBook upstreams,
			io.netty.handler.ssl.SslProvider provider) {
		SslContext context = context(source, upstreams, provider);
		// secure(SslProvider) adds no hostname-verification configurer; the endpoint identification algorithm is
		// cleared on the context, so the SPIFFE check above is the only identity check, and it is a strict one.
		return client.secure(SslProvider.builder().sslContext(context).build())
			.doOnRequest((request, connection) -> checkUpstreamService(request, connection, upstreams));
	}

	/**
	 * Runs when the request is prepared on its connection, before any byte of it is written: the connection's
	 * server must have proved the full identity expected at its address, that identity must be of the service the
	 * request is meant for, and the leaf it proved it with must still be valid (a resumed session checks none).
	 */
	private static void checkUpstreamService(HttpClientRequest request, Connection connection,
			UpstreamAddressBook upstreams) {
		String expected = request.currentContextView().getOrDefault(UPSTREAM_SERVICE, null);
		if (expected == null) {
			return;
		}
		ProvenPeer peer = ProvenPeer.of(connection.channel());
		SslHandler ssl = connection.channel().pipeline().get(SslHandler.class);
		String host = (ssl != null) ? ssl.engine().getPeerHost() : null;
		UpstreamIdentity there = (host != null) ? upstreams.expectedAt(host, ssl.engine().getPeerPort()) : null;
		if (peer == null || there == null || !there.service().equals(expected) || !there.isProvenBy(peer.identity())) {
			String address = (host != null) ? host + ":" + ssl.engine().getPeerPort()
					: String.valueOf(connection.channel().remoteAddress());
			throw UnexpectedPeerException.create(expected, address, (peer != null) ? peer.id() : null);
		}
		String invalid = peer.invalidAt(Instant.now());
		if (invalid != null) {
			throw UnexpectedPeerException.noLongerValid(expected, host + ":" + ssl.engine().getPeerPort(), peer.id(),
					invalid);
		}
	}

	static SslContext context(CertificateSource source, UpstreamAddressBook upstreams) {
		return context(source, upstreams, SslContext.defaultClientProvider());
	}

	static SslContext context(CertificateSource source, UpstreamAddressBook upstreams,
			io.netty.handler.ssl.SslProvider provider) {
		return SnapshotBoundSslContext.of(source, () -> build(source, upstreams, provider));
	}

	private static SslContext build(CertificateSource source, UpstreamAddressBook upstreams,
			io.netty.handler.ssl.SslProvider provider) {
		try {
			return SslContextBuilder.forClient()
				.sslProvider(provider)
				.keyManager(new KeyManagerFactoryWrapper(new SnapshotKeyManager(source)))
				.trustManager(new TrustManagerFactoryWrapper(new IdentityTrustManager(source, upstreams)))
				.protocols("TLSv1.3", "TLSv1.2")
				.endpointIdentificationAlgorithm(null)
				.build();
		}
		catch (SSLException ex) {
			throw new IllegalStateException("Unable to build the mesh client's TLS context", ex);
		}
	}

}
