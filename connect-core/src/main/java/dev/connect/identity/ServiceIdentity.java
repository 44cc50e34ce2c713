package dev.connect.identity;

import java.util.List;
import java.util.Objects;

import static dev.connect.identity.IdentityMessages.invalid;
import static dev.connect.identity.IdentityMessages.quote;

/**
 * A Consul service identity: {@code spiffe://<trust-domain>/ns/<namespace>/dc/<datacenter>/svc/<service>}, or with
 * a non-default admin partition {@code spiffe://<trust-domain>/ap/<partition>/ns/<namespace>/dc/<datacenter>/svc/<service>}.
 * Every name is a valid SPIFFE path segment; Consul CE always uses partition and namespace {@code default}.
 *
 * @param trustDomain the trust domain, {@code <cluster-id>.consul} for Consul's CA
 * @param partition the admin partition, {@value #DEFAULT}
 * @param namespace the namespace, {@value #DEFAULT} in Consul CE
 * @param datacenter the datacenter, for example {@code dc1}
 * @param service the service name
 */
public record ServiceIdentity(TrustDomain trustDomain, String partition, String namespace, String datacenter,
		String service) {

	/** The name of Consul's default partition and namespace. */
	public static final String DEFAULT = "default";

	public ServiceIdentity {
		Objects.requireNonNull(trustDomain, "'trustDomain' must not be null");
		checkName("Partition", partition);
		checkName("Namespace", namespace);
		checkName("Datacenter", datacenter);
		checkName("Service name", service);
	}

	/**
	 * Returns the identity of a service in the default partition and namespace.
	 * @param trustDomain the trust domain
	 * @param datacenter the datacenter
	 * @param service the service name
	 * @return the identity
	 * @throws InvalidIdentityException if a name is not a valid path segment
	 */
	public static ServiceIdentity of(TrustDomain trustDomain, String datacenter, String service) {
		return new ServiceIdentity(trustDomain, DEFAULT, DEFAULT, datacenter, service);
	}

	/**
	 * Reads Consul's service form from a SPIFFE ID.
	 * @param id the SPIFFE ID
	 * @return the identity
	 * @throws InvalidIdentityException if the path is not Consul's service form
	 */
	public static ServiceIdentity from(SpiffeId id) {
		List<String> segments = id.segments();
		if (segments.size() == 6 && isServiceForm(segments, 0)) {
			return new ServiceIdentity(id.trustDomain(), DEFAULT, segments.get(1), segments.get(3), segments.get(5));
		}
		if (segments.size() == 8 && segments.get(0).equals("ap") && isServiceForm(segments, 2)) {
			return new ServiceIdentity(id.trustDomain(), segments.get(1), segments.get(3), segments.get(5),
					segments.get(7));
		}
		throw invalid(id.toString(), IdentityMessages.NOT_A_SERVICE, quote(id.toString()));
	}

	/**
	 * Parses a SPIFFE ID string in Consul's service form.
	 * @param id the raw SPIFFE ID
	 * @return the identity
	 * @throws InvalidIdentityException if the string is not a SPIFFE ID or not Consul's service form
	 */
	public static ServiceIdentity parse(String id) {
		return from(SpiffeId.parse(id));
	}

	private static boolean isServiceForm(List<String> segments, int offset) {
		return segments.get(offset).equals("ns") && segments.get(offset + 2).equals("dc")
				&& segments.get(offset + 4).equals("svc");
	}

	private static void checkName(String subject, String value) {
		Objects.requireNonNull(value, () -> "'" + subject + "' must not be null");
		if (!SpiffeId.isValidSegment(value)) {
			throw invalid(value, IdentityMessages.NAME_INVALID, subject, quote(value));
		}
	}

	/**
	 * Returns the SPIFFE ID of this identity; the partition appears only when it is not {@value #DEFAULT}.
	 * @return the SPIFFE ID
	 */
	public SpiffeId spiffeId() {
		return SpiffeId.of(this.trustDomain, path());
	}

	private String path() {
		return path(this.partition, this.namespace, this.datacenter, this.service);
	}

	/**
	 * Returns the SPIFFE ID path of a service identity, without its trust domain, for example
	 * {@code /ns/default/dc/dc1/svc/web}; the partition appears only when it is not {@value #DEFAULT}.
	 * @param partition the admin partition
	 * @param namespace the namespace
	 * @param datacenter the datacenter
	 * @param service the service name
	 * @return the path
	 * @throws InvalidIdentityException if a name is not a valid path segment
	 */
	public static String path(String partition, String namespace, String datacenter, String service) {
		checkName("Partition", partition);
		checkName("Namespace", namespace);
		checkName("Datacenter", datacenter);
		checkName("Service name", service);
		String prefix = DEFAULT.equals(partition) ? "" : "/ap/" + partition;
		return prefix + "/ns/" + namespace + "/dc/" + datacenter + "/svc/" + service;
	}

	/**
	 * Returns the SPIFFE ID string of this identity.
	 */
	@Override
	public String toString() {
		return "spiffe://" + this.trustDomain.name() + path();
	}

}
