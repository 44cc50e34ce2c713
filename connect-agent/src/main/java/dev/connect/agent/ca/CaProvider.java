package dev.connect.agent.ca;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A CA provider, in the shape of Consul's {@code agent/connect/ca/provider.go}: the {@link CertificateAuthority}
 * keeps the roots, indexes and rate limit, and asks its active provider to sign. Providers are registered by name in
 * {@link CaProviders} and chosen by {@code Provider} in the CA configuration.
 * <p>
 * Contract:
 * <ol>
 * <li>Configure: a provider is made by its {@link CaProviders.Factory} from a {@link ProviderContext} and the raw
 * {@link ProviderConfig}; a setting it cannot use is refused there with an {@link IllegalArgumentException} naming
 * the field and what is wrong, before anything changes.</li>
 * <li>Generate or load the root: {@link #root()} is the root this provider signs under, made or imported when it
 * was configured, and the same on every call.</li>
 * <li>{@link #generateIntermediate()} gives the certificates between that root and the certificate that signs leaves
 * (none when the root signs them itself); leaves carry them after the cross-signed certificate, if any.</li>
 * <li>{@link #sign(LeafCsr, Duration)} signs a leaf for the CSR's key and the identity the CA built, for at most the
 * given lifetime and never beyond the root; the leaf's private key never reaches the provider.</li>
 * <li>{@link #crossSign(X509Certificate)} signs another provider's new root with this provider's key, so that
 * leaves of the new root verify against this root during the rotation; only called when
 * {@link #supportsCrossSigning()}.</li>
 * <li>{@link #cleanup(boolean)} is called once the provider has been replaced, after it cross-signed its
 * successor.</li>
 * </ol>
 */
interface CaProvider {

	/**
	 * Returns the name under which the provider is registered, the {@code Provider} of the configuration.
	 * @return the name, for example {@code consul}
	 */
	String name();

	/**
	 * Returns the root this provider signs under: its certificate, and its key where the key is held here.
	 * @return the root, not yet active, without intermediates
	 */
	SigningRoot root();

	/**
	 * Returns the intermediates between the root and the leaf-signing certificate, root side last.
	 * @return the intermediates; empty when the root signs leaves
	 */
	default List<X509Certificate> generateIntermediate() {
		return List.of();
	}

	/**
	 * Replaces the leaf-signing intermediate once half of its lifetime has passed (Consul's rule), so that leaves
	 * never outlive it.
	 * @param now the current instant
	 * @return the new intermediates in the shape of {@link #generateIntermediate()}, or {@code null} when nothing
	 * was due
	 */
	default @Nullable List<X509Certificate> renewIntermediate(Instant now) {
		return null;
	}

	/**
	 * Signs a leaf.
	 * @param csr the CSR and the identity the CA built for it
	 * @param ttl the leaf lifetime
	 * @return the leaf certificate
	 */
	X509Certificate sign(LeafCsr csr, Duration ttl);

	/**
	 * Returns whether {@link #crossSign(X509Certificate)} can be called.
	 * @return whether this provider can cross-sign
	 */
	boolean supportsCrossSigning();

	/**
	 * Cross-signs a new root with this provider's key: same subject, key and extensions, issued by this root.
	 * @param newRoot the root of the provider that replaces this one
	 * @return the cross-signed certificate
	 */
	X509Certificate crossSign(X509Certificate newRoot);

	/**
	 * Releases what the provider holds outside the agent, once it has been replaced.
	 * @param providerTypeChange whether the replacement is a provider of another name
	 */
	default void cleanup(boolean providerTypeChange) {
	}

}
