package dev.connect.mesh;

import java.security.cert.CertificateException;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLEngine;

import dev.connect.api.ServiceEntry;
import dev.connect.identity.ServiceIdentity;
import dev.connect.identity.SpiffeId;
import dev.connect.pki.PeerRole;
import dev.connect.tls.IdentityTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * Which identity is expected at which address: discovery records every instance it hands out with the identity the
 * agent's answer implies for it ({@link UpstreamIdentity}: partition, namespace, the node's datacenter and the
 * service), and the client's trust manager checks, inside the handshake and before any request byte is written,
 * that the server presenting itself at an address proves exactly that identity. Fail closed:
 * <ol>
 * <li>an address nobody recorded is refused;</li>
 * <li>a server whose ID differs in any part (another namespace, datacenter, partition or service) is refused;</li>
 * <li>an address recorded for more than one identity (two registrations naming the same host and port, for example
 * while a port is reused) is refused for every one of them until only one remains, since a server there could
 * prove either identity and the handshake cannot tell which call it serves.</li>
 * </ol>
 * A pooled connection is reused only while its server's identity is still the one expected at its address
 * ({@link MeshConnectionPool}).
 */
public final class UpstreamAddressBook implements IdentityTrustManager.PeerVerifier {

	static final String UNKNOWN = "No mesh service is expected at %s: refusing to talk to it";

	static final String MISMATCH = "Expected '%s' at %s, but the server presented '%s'";

	static final String AMBIGUOUS = "Services %s are all registered at %s: refusing to talk to it until only one is";

	private static final Comparator<UpstreamIdentity> ORDER = Comparator.comparing(UpstreamIdentity::toString);

	private final Map<String, SortedSet<UpstreamIdentity>> expected = new ConcurrentHashMap<>();

	/**
	 * Records that an instance with an identity listens at an address. Recording it again changes nothing.
	 * @param host the instance's host, as the client will connect to it
	 * @param port the instance's port
	 * @param identity the identity its server must prove
	 */
	public void expect(String host, int port, UpstreamIdentity identity) {
		Objects.requireNonNull(identity, "'identity' must not be null");
		this.expected.compute(key(host, port), (address, current) -> {
			if (current != null && current.contains(identity)) {
				return current;
			}
			SortedSet<UpstreamIdentity> identities = new TreeSet<>(ORDER);
			if (current != null) {
				identities.addAll(current);
			}
			identities.add(identity);
			return Collections.unmodifiableSortedSet(identities);
		});
	}

	/**
	 * Forgets that an instance with an identity listens at an address (it left); others recorded there stay.
	 * @param host the host
	 * @param port the port
	 * @param identity the identity recorded
	 */
	public void forget(String host, int port, UpstreamIdentity identity) {
		this.expected.computeIfPresent(key(host, port), (address, current) -> {
			if (!current.contains(identity)) {
				return current;
			}
			SortedSet<UpstreamIdentity> identities = new TreeSet<>(current);
			identities.remove(identity);
			return identities.isEmpty() ? null : Collections.unmodifiableSortedSet(identities);
		});
	}

	/**
	 * Records an upstream's instances as the agent now lists them: every one is expected at its address first, then
	 * those listed before and no longer are forgotten, so an address that stays is never unknown in between.
	 * @param before the instances recorded by the previous call for this upstream
	 * @param now the instances the agent lists now
	 */
	public void update(Collection<Instance> before, Collection<Instance> now) {
		now.forEach((instance) -> expect(instance.host(), instance.port(), instance.identity()));
		for (Instance gone : before) {
			if (!now.contains(gone)) {
				forget(gone.host(), gone.port(), gone.identity());
			}
		}
	}

	/**
	 * Forgets every address: for a new trust domain, until discovery records the new mesh's instances.
	 */
	public void clear() {
		this.expected.clear();
	}

	/**
	 * Returns the identity expected at an address.
	 * @param host the host
	 * @param port the port
	 * @return the identity, or {@code null} when none is, or when more than one is (the address is refused)
	 */
	public @Nullable UpstreamIdentity expectedAt(String host, int port) {
		return single(this.expected.get(key(host, port)));
	}

	@Override
	public void verify(SpiffeId peer, PeerRole role, @Nullable SSLEngine engine) throws CertificateException {
		if (role != PeerRole.SERVER) {
			return;
		}
		String address = (engine != null && engine.getPeerHost() != null)
				? key(engine.getPeerHost(), engine.getPeerPort()) : "an unknown address";
		SortedSet<UpstreamIdentity> identities = (engine != null && engine.getPeerHost() != null)
				? this.expected.get(address) : null;
		if (identities == null) {
			throw new CertificateException(String.format(UNKNOWN, address));
		}
		UpstreamIdentity identity = single(identities);
		if (identity == null) {
			throw new CertificateException(String.format(AMBIGUOUS, identities, address));
		}
		ServiceIdentity presented;
		try {
			presented = ServiceIdentity.from(peer);
		}
		catch (IllegalArgumentException ex) {
			throw new CertificateException(String.format(MISMATCH, identity, address, peer), ex);
		}
		// The trust domain was already checked by the trust manager; every other part of the ID is compared here.
		if (!identity.isProvenBy(presented)) {
			throw new CertificateException(String.format(MISMATCH, identity, address, peer));
		}
	}

	private static String key(String host, int port) {
		String bare = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
		return bare + ":" + port;
	}

	private static @Nullable UpstreamIdentity single(@Nullable SortedSet<UpstreamIdentity> identities) {
		return (identities != null && identities.size() == 1) ? identities.first() : null;
	}

	/**
	 * An instance of an upstream as the agent's health answer lists it, and the identity its server must prove.
	 *
	 * @param host the service's address, else its node's, as Consul's clients dial it
	 * @param port the service's port (for a sidecar proxy, the proxy's)
	 * @param identity the identity its server must prove
	 */
	public record Instance(String host, int port, UpstreamIdentity identity) {

		/**
		 * Returns the instance an entry of {@code /v1/health/connect/<service>} describes.
		 * @param entry the entry
		 * @param service the service called
		 * @return the instance
		 */
		public static Instance of(ServiceEntry entry, String service) {
			String host = entry.service().address().isEmpty() ? entry.node().address() : entry.service().address();
			return new Instance(host, entry.service().port(), UpstreamIdentity.of(entry, service));
		}

	}

}
