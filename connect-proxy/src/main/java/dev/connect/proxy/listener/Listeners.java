package dev.connect.proxy.listener;

import java.net.InetSocketAddress;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;

import dev.connect.identity.SpiffeId;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;

/** What both listeners share: binding with a message that names the address, and reading a peer's SPIFFE ID. */
final class Listeners {

	static final String BIND_FAILED = "Unable to bind the %s to %s: %s";

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

}
