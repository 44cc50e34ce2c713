package dev.connect.tls;

import java.net.InetSocketAddress;
import java.security.cert.CertificateException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLEngine;

import dev.connect.identity.ServiceIdentity;
import dev.connect.identity.SpiffeId;
import dev.connect.pki.PeerRole;
import org.jspecify.annotations.Nullable;

/**
 * Which service is expected at which address: discovery records every instance it hands out, and the client's
 * trust manager checks, inside the handshake and before any request byte is written, that the server presenting
 * itself at an address is the service recorded for it. An address nobody recorded is refused (fail closed).
 */
public final class UpstreamAddressBook implements IdentityTrustManager.PeerVerifier {

	static final String UNKNOWN = "No mesh service is expected at %s: refusing to talk to it";

	static final String MISMATCH = "Expected service '%s' at %s, but the server presented '%s'";

	private final Map<String, String> expected = new ConcurrentHashMap<>();

	/**
	 * Records that a service's instance listens at an address.
	 * @param host the instance's host, as the client will connect to it
	 * @param port the instance's port
	 * @param service the service name
	 */
	public void expect(String host, int port, String service) {
		this.expected.put(key(host, port), Objects.requireNonNull(service, "'service' must not be null"));
	}

	/**
	 * Forgets an address (its instance left).
	 * @param host the host
	 * @param port the port
	 */
	public void forget(String host, int port) {
		this.expected.remove(key(host, port));
	}

	/**
	 * Returns the service expected at an address.
	 * @param host the host
	 * @param port the port
	 * @return the service name, or {@code null}
	 */
	public @Nullable String expectedAt(String host, int port) {
		return this.expected.get(key(host, port));
	}

	@Override
	public void verify(SpiffeId peer, PeerRole role, @Nullable SSLEngine engine) throws CertificateException {
		if (role != PeerRole.SERVER) {
			return;
		}
		String address = (engine != null && engine.getPeerHost() != null)
				? key(engine.getPeerHost(), engine.getPeerPort()) : "an unknown address";
		String service = (engine != null && engine.getPeerHost() != null)
				? this.expected.get(address) : null;
		if (service == null) {
			throw new CertificateException(String.format(UNKNOWN, address));
		}
		String presented;
		try {
			presented = ServiceIdentity.from(peer).service();
		}
		catch (IllegalArgumentException ex) {
			throw new CertificateException(String.format(MISMATCH, service, address, peer), ex);
		}
		// The trust domain was already checked by the trust manager; the service name is what was asked for.
		if (!presented.equals(service)) {
			throw new CertificateException(String.format(MISMATCH, service, address, peer));
		}
	}

	private static String key(String host, int port) {
		String bare = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
		return bare + ":" + port;
	}

	static String key(InetSocketAddress address) {
		return key(address.getHostString(), address.getPort());
	}

}
