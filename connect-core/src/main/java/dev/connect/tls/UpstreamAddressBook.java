package dev.connect.tls;

import java.security.cert.CertificateException;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLEngine;

import dev.connect.identity.ServiceIdentity;
import dev.connect.identity.SpiffeId;
import dev.connect.pki.PeerRole;
import org.jspecify.annotations.Nullable;

/**
 * Which service is expected at which address: discovery records every instance it hands out, and the client's
 * trust manager checks, inside the handshake and before any request byte is written, that the server presenting
 * itself at an address is the service recorded for it. Fail closed:
 * <ol>
 * <li>an address nobody recorded is refused;</li>
 * <li>an address recorded for more than one service (two registrations naming the same host and port, for example
 * while a port is reused) is refused for every one of them until only one remains, since a server there could
 * prove either identity and the handshake cannot tell which call it serves.</li>
 * </ol>
 * A pooled connection is reused only while its server's identity is still the one service expected at its address
 * ({@link MeshConnectionPool}).
 */
public final class UpstreamAddressBook implements IdentityTrustManager.PeerVerifier {

	static final String UNKNOWN = "No mesh service is expected at %s: refusing to talk to it";

	static final String MISMATCH = "Expected service '%s' at %s, but the server presented '%s'";

	static final String AMBIGUOUS = "Services %s are all registered at %s: refusing to talk to it until only one is";

	private final Map<String, SortedSet<String>> expected = new ConcurrentHashMap<>();

	/**
	 * Records that a service's instance listens at an address. Recording it again changes nothing.
	 * @param host the instance's host, as the client will connect to it
	 * @param port the instance's port
	 * @param service the service name
	 */
	public void expect(String host, int port, String service) {
		Objects.requireNonNull(service, "'service' must not be null");
		this.expected.compute(key(host, port), (address, current) -> {
			if (current != null && current.contains(service)) {
				return current;
			}
			SortedSet<String> services = new TreeSet<>((current != null) ? current : Set.of());
			services.add(service);
			return Collections.unmodifiableSortedSet(services);
		});
	}

	/**
	 * Forgets that a service's instance listens at an address (it left); other services recorded there stay.
	 * @param host the host
	 * @param port the port
	 * @param service the service name
	 */
	public void forget(String host, int port, String service) {
		this.expected.computeIfPresent(key(host, port), (address, current) -> {
			if (!current.contains(service)) {
				return current;
			}
			SortedSet<String> services = new TreeSet<>(current);
			services.remove(service);
			return services.isEmpty() ? null : Collections.unmodifiableSortedSet(services);
		});
	}

	/**
	 * Returns the service expected at an address.
	 * @param host the host
	 * @param port the port
	 * @return the service name, or {@code null} when none is, or when more than one is (the address is refused)
	 */
	public @Nullable String expectedAt(String host, int port) {
		return single(this.expected.get(key(host, port)));
	}

	@Override
	public void verify(SpiffeId peer, PeerRole role, @Nullable SSLEngine engine) throws CertificateException {
		if (role != PeerRole.SERVER) {
			return;
		}
		String address = (engine != null && engine.getPeerHost() != null)
				? key(engine.getPeerHost(), engine.getPeerPort()) : "an unknown address";
		SortedSet<String> services = (engine != null && engine.getPeerHost() != null) ? this.expected.get(address) : null;
		if (services == null) {
			throw new CertificateException(String.format(UNKNOWN, address));
		}
		String service = single(services);
		if (service == null) {
			throw new CertificateException(String.format(AMBIGUOUS, services, address));
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

	private static @Nullable String single(@Nullable SortedSet<String> services) {
		return (services != null && services.size() == 1) ? services.first() : null;
	}

}
