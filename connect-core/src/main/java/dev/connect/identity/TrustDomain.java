package dev.connect.identity;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import static dev.connect.identity.IdentityMessages.invalid;
import static dev.connect.identity.IdentityMessages.quote;

/**
 * A SPIFFE trust domain name: 1 to 255 bytes of lowercase letters, digits, {@code .}, {@code -} and {@code _}.
 * Consul's trust domain is {@code <cluster-id>.consul} ({@link #ofCluster(UUID)}).
 */
public final class TrustDomain {

	static final int MAX_BYTES = 255;

	private final String name;

	private TrustDomain(String name) {
		this.name = name;
	}

	/**
	 * Parses a bare trust domain name such as {@code 0b7e3c1a-5d2f-4e8a-9c61-2f4d8a7b9e10.consul}.
	 * @param name the trust domain name, without scheme
	 * @return the trust domain
	 * @throws InvalidIdentityException if the name breaks a SPIFFE trust domain rule
	 */
	public static TrustDomain parse(String name) {
		Objects.requireNonNull(name, "'name' must not be null");
		if (name.startsWith("spiffe://")) {
			throw invalid(name, IdentityMessages.TRUST_DOMAIN_WITH_SCHEME, quote(name));
		}
		checkName(name, name);
		return new TrustDomain(name);
	}

	/**
	 * Returns Consul's trust domain for a cluster: {@code <cluster-id>.consul}, lowercase.
	 * @param clusterId the cluster id of the CA
	 * @return the trust domain
	 */
	public static TrustDomain ofCluster(UUID clusterId) {
		Objects.requireNonNull(clusterId, "'clusterId' must not be null");
		return new TrustDomain(clusterId + ".consul");
	}

	/** Validates {@code name} (part of {@code input}) without allocating; the common path for {@link SpiffeId}. */
	static TrustDomain checked(String name, String input) {
		checkName(name, input);
		return new TrustDomain(name);
	}

	private static void checkName(String name, String input) {
		if (name.isEmpty()) {
			throw invalid(input, IdentityMessages.TRUST_DOMAIN_EMPTY);
		}
		if (name.length() > MAX_BYTES) {
			throw invalid(input, IdentityMessages.TRUST_DOMAIN_TOO_LONG, quote(name),
					name.getBytes(StandardCharsets.UTF_8).length);
		}
		for (int i = 0; i < name.length(); i++) {
			if (!isTrustDomainChar(name.charAt(i))) {
				throw invalid(input, IdentityMessages.TRUST_DOMAIN_CHARS, quote(name));
			}
		}
	}

	static boolean isTrustDomainChar(char c) {
		return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
	}

	/**
	 * Returns the trust domain name.
	 * @return the name, for example {@code example.org}
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Returns the SPIFFE ID of the trust domain itself ({@code spiffe://<name>}), which Consul puts in the URI SAN
	 * of its CA certificates.
	 * @return the SPIFFE ID with an empty path
	 */
	public SpiffeId id() {
		return SpiffeId.of(this, "");
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || (other instanceof TrustDomain that && this.name.equals(that.name));
	}

	@Override
	public int hashCode() {
		return this.name.hashCode();
	}

	/**
	 * Returns the trust domain name.
	 */
	@Override
	public String toString() {
		return this.name;
	}

}
