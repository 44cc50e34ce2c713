package dev.connect.mesh;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;

import javax.net.ssl.SSLPeerUnverifiedException;

import dev.connect.identity.ServiceIdentity;
import dev.connect.identity.SpiffeId;
import dev.connect.pki.InvalidSvidException;
import dev.connect.pki.SvidValidator;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import org.jspecify.annotations.Nullable;

/**
 * What the server of a mesh connection proved in its handshake (full or resumed), read from its leaf once per
 * connection: a connection's peer never changes, since renegotiation is off.
 *
 * @param id the server's SPIFFE ID
 * @param identity the service identity it names
 * @param leaf the leaf it presented: in a resumed session, the one of the session's first handshake
 */
record ProvenPeer(SpiffeId id, ServiceIdentity identity, X509Certificate leaf) {

	private static final AttributeKey<ProvenPeer> KEY = AttributeKey.valueOf("dev.connect.provenPeer");

	/**
	 * Returns what a connection's server proved.
	 * @param channel the connection's channel
	 * @return the peer, or {@code null} when the channel has no completed TLS session with a service leaf
	 */
	static @Nullable ProvenPeer of(Channel channel) {
		Attribute<ProvenPeer> attribute = channel.attr(KEY);
		ProvenPeer peer = attribute.get();
		if (peer == null) {
			peer = read(channel.pipeline().get(SslHandler.class));
			if (peer != null) {
				attribute.set(peer);
			}
		}
		return peer;
	}

	private static @Nullable ProvenPeer read(@Nullable SslHandler ssl) {
		if (ssl == null) {
			return null;
		}
		try {
			Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
			if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
				return null;
			}
			SpiffeId id = SvidValidator.spiffeIdOf(leaf);
			return new ProvenPeer(id, ServiceIdentity.from(id), leaf);
		}
		catch (SSLPeerUnverifiedException | InvalidSvidException | IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * Checks the leaf against the clock: a resumed TLS session checks no certificate, and a kept-alive connection
	 * may outlive its handshake, so the leaf may have expired since it was validated.
	 * @param now the instant to check at
	 * @return {@code null} while the leaf is valid, else why not
	 */
	@Nullable String invalidAt(Instant now) {
		try {
			SvidValidator.checkValidAt(this.leaf, now);
			return null;
		}
		catch (InvalidSvidException ex) {
			return ex.getMessage();
		}
	}

}
