package dev.connect.proxy.listener;

import java.net.InetSocketAddress;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

import dev.connect.identity.SpiffeId;
import dev.connect.pki.InvalidSvidException;
import dev.connect.pki.SvidValidator;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import org.jspecify.annotations.Nullable;

/** What both listeners share: binding with a message that names the address, and reading a peer's SPIFFE ID. */
final class Listeners {

	static final String BIND_FAILED = "Unable to bind the %s to %s: %s";

	static final String[] PROTOCOLS = { "TLSv1.3", "TLSv1.2" };

	/** TLS 1.3's suites (all AEAD) and TLS 1.2's ECDHE AEAD suites only: forward secrecy and no CBC. */
	static final List<String> CIPHERS = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
			"TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
			"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
			"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
			"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

	private Listeners() {
	}

	static Channel bind(ServerBootstrap bootstrap, InetSocketAddress address, String what) {
		ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
		if (!bound.isSuccess()) {
			throw new IllegalStateException(String.format(BIND_FAILED, what, address.getHostString() + ":"
					+ address.getPort(), bound.cause().getMessage()), bound.cause());
		}
		return bound.channel();
	}

	/**
	 * The TLS implementation. The JDK's by default: Netty's OpenSSL engine closes its outbound side when the peer's
	 * close_notify arrives, so with BoringSSL a half-closed connection cannot carry the answer back. When asked for,
	 * BoringSSL (netty-tcnative) is chosen as the starter's server and connect-core's mesh client choose it: when it
	 * loads and can use our key managers, else the JDK's.
	 * @param boringSsl whether BoringSSL is asked for
	 * @return the provider
	 */
	static SslProvider provider(boolean boringSsl) {
		return (boringSsl && OpenSsl.isAvailable() && OpenSsl.supportsKeyManagerFactory()) ? SslProvider.OPENSSL
				: SslProvider.JDK;
	}

	/** The first URI SAN: the trust manager has already validated the chain, the trust domain and the SVID's shape. */
	static SpiffeId spiffeId(X509Certificate leaf) {
		try {
			Collection<List<?>> names = leaf.getSubjectAlternativeNames();
			if (names != null) {
				for (List<?> name : names) {
					if (Integer.valueOf(6).equals(name.get(0))) {
						return SpiffeId.parse(String.valueOf(name.get(1)));
					}
				}
			}
		}
		catch (CertificateParsingException ex) {
			throw new IllegalArgumentException("Unable to read the peer certificate's names", ex);
		}
		throw new IllegalArgumentException("The peer certificate has no URI SAN");
	}

	/**
	 * Checks a peer's leaf against the clock, for a session that may have been resumed: the handshake that first
	 * validated it may lie before its not-after.
	 * @param leaf the peer's leaf from the TLS session
	 * @return {@code null} when the clock is inside the leaf's validity, else what is wrong, naming the bound
	 */
	static @Nullable String outsideValidity(X509Certificate leaf) {
		try {
			SvidValidator.checkValidAt(leaf, Instant.now());
			return null;
		}
		catch (InvalidSvidException ex) {
			return ex.getMessage();
		}
	}

}
