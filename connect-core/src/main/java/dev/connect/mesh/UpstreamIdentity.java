package dev.connect.mesh;

import java.util.Objects;

import dev.connect.identity.ServiceIdentity;
import dev.connect.identity.SpiffeId;

/**
 * The identity an upstream instance must prove, derived from the agent's answer for that instance as Consul's own
 * clients derive it: the service's partition and namespace ({@value ServiceIdentity#DEFAULT} in Consul CE), the
 * datacenter of the instance's node, and the service name. A server proves it when its leaf's SPIFFE ID carries
 * exactly these four, with no partition segment unless a partition other than the default is expected; the trust
 * domain is the one thing not compared here, since the trust manager has already required it to be the mesh's
 * current one.
 *
 * @param partition the admin partition, {@value ServiceIdentity#DEFAULT} unless the agent reports another
 * @param namespace the namespace, {@value ServiceIdentity#DEFAULT} unless the agent reports another
 * @param datacenter the datacenter of the instance's node
 * @param service the service name
 */
public record UpstreamIdentity(String partition, String namespace, String datacenter, String service) {

	public UpstreamIdentity {
		checkSegment("partition", partition);
		checkSegment("namespace", namespace);
		checkSegment("datacenter", datacenter);
		checkSegment("service", service);
	}

	/**
	 * Returns the identity of a service in the default partition and namespace.
	 * @param datacenter the datacenter of the instance's node
	 * @param service the service name
	 * @return the identity
	 */
	public static UpstreamIdentity of(String datacenter, String service) {
		return new UpstreamIdentity(ServiceIdentity.DEFAULT, ServiceIdentity.DEFAULT, datacenter, service);
	}

	/**
	 * Returns whether a server's identity is this one: same partition, namespace, datacenter and service.
	 * @param presented the identity the server's leaf names
	 * @return {@code true} if every part is equal
	 */
	public boolean isProvenBy(ServiceIdentity presented) {
		return this.partition.equals(presented.partition()) && this.namespace.equals(presented.namespace())
				&& this.datacenter.equals(presented.datacenter()) && this.service.equals(presented.service());
	}

	private static void checkSegment(String name, String value) {
		Objects.requireNonNull(value, () -> "'" + name + "' must not be null");
		if (!SpiffeId.isValidSegment(value)) {
			throw new IllegalArgumentException("Upstream " + name + " '" + value
					+ "' must be a non-empty SPIFFE path segment of letters, digits, '.', '-' or '_'");
		}
	}

	/**
	 * Returns the path this identity's SPIFFE ID must have, for example {@code /ns/default/dc/dc1/svc/counting}.
	 */
	@Override
	public String toString() {
		String prefix = ServiceIdentity.DEFAULT.equals(this.partition) ? "" : "/ap/" + this.partition;
		return prefix + "/ns/" + this.namespace + "/dc/" + this.datacenter + "/svc/" + this.service;
	}

}
