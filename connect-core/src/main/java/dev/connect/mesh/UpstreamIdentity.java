package dev.connect.mesh;

import dev.connect.api.ServiceEntry;
import dev.connect.identity.ServiceIdentity;

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
		// Validates every name as a service identity's.
		ServiceIdentity.path(partition, namespace, datacenter, service);
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
	 * Returns the identity Consul's own clients expect of an instance the agent's health answer lists: the service
	 * called, in the datacenter of the instance's node, in the default partition and namespace (Consul CE's).
	 * @param entry the instance's entry in {@code /v1/health/connect/<service>}
	 * @param service the service called (a sidecar proxy's entry names the proxy, its leaf the service)
	 * @return the identity
	 */
	public static UpstreamIdentity of(ServiceEntry entry, String service) {
		return of(entry.node().datacenter(), service);
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

	/**
	 * Returns the path this identity's SPIFFE ID must have, for example {@code /ns/default/dc/dc1/svc/counting}.
	 */
	@Override
	public String toString() {
		return ServiceIdentity.path(this.partition, this.namespace, this.datacenter, this.service);
	}

}
