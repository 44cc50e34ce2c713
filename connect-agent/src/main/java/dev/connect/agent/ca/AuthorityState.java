package dev.connect.agent.ca;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * What a {@link CertificateAuthority} replaces as a whole on every change, so that a read sees one consistent state.
 *
 * @param config the settings
 * @param roots every trusted root, oldest first; exactly one is active
 * @param limiter the signing rate limiter for {@link CaConfig#csrMaxPerSecond()}
 * @param provider the provider that signs under the active root
 * @param providerConfig the settings the provider was configured with
 */
record AuthorityState(CaConfig config, List<SigningRoot> roots, CsrRateLimiter limiter, CaProvider provider,
		ProviderConfig providerConfig) {

	/** Consul's refusal to rotate away from a provider that cannot cross-sign without the force flag. */
	static final String CROSS_SIGNING_REQUIRED = "The current CA Provider does not support cross-signing. "
			+ "You can try again with ForceWithoutCrossSigningSet but this may cause disruption - see documentation "
			+ "for more.";

	AuthorityState {
		roots = List.copyOf(roots);
	}

	/** A new rate gets a new limiter; an unchanged one keeps the limiter and the permits it has counted. */
	AuthorityState with(CaConfig config, List<SigningRoot> roots, DoubleFunction<CsrRateLimiter> limiters) {
		return with(config, roots, limiters, this.provider, this.providerConfig);
	}

	AuthorityState with(CaConfig config, List<SigningRoot> roots, DoubleFunction<CsrRateLimiter> limiters,
			CaProvider provider, ProviderConfig providerConfig) {
		CsrRateLimiter limiter = (this.config.csrMaxPerSecond() == config.csrMaxPerSecond()) ? this.limiter
				: limiters.apply(config.csrMaxPerSecond());
		return new AuthorityState(config, roots, limiter, provider, providerConfig);
	}

	AuthorityState withRoots(List<SigningRoot> roots) {
		return new AuthorityState(this.config, roots, this.limiter, this.provider, this.providerConfig);
	}

	/**
	 * The state with the provider's intermediates replaced in the active root, where the previous ones were (at the
	 * end when there were none).
	 */
	AuthorityState withIntermediates(List<X509Certificate> before, List<X509Certificate> renewed) {
		List<SigningRoot> roots = new ArrayList<>();
		for (SigningRoot existing : this.roots) {
			if (!existing.root().active()) {
				roots.add(existing);
				continue;
			}
			List<X509Certificate> intermediates = new ArrayList<>(existing.root().intermediates());
			int at = before.isEmpty() ? -1 : intermediates.indexOf(before.get(0));
			intermediates.removeAll(before);
			intermediates.removeAll(renewed);
			intermediates.addAll((at >= 0) ? Math.min(at, intermediates.size()) : intermediates.size(), renewed);
			roots.add(existing.activated(intermediates));
		}
		return withRoots(roots);
	}

	SigningRoot active() {
		for (SigningRoot root : this.roots) {
			if (root.root().active()) {
				return root;
			}
		}
		throw new IllegalStateException("CA has no active root");
	}

	/** The ids of the inactive roots rotated out before the cutoff. */
	List<String> rotatedOutBefore(Instant cutoff) {
		List<String> pruned = new ArrayList<>();
		for (SigningRoot root : this.roots) {
			Instant rotatedOutAt = root.root().rotatedOutAt();
			if (rotatedOutAt != null && rotatedOutAt.isBefore(cutoff)) {
				pruned.add(root.root().id());
			}
		}
		return List.copyOf(pruned);
	}

	/**
	 * The state after rotating to the next provider's root: the current provider cross-signs it where it can
	 * (otherwise the rotation needs {@code ForceWithoutCrossSigning}), it becomes active with the cross-signed
	 * certificate and the next provider's intermediates, and the previous active root is rotated out.
	 * @throws IllegalArgumentException with Consul's message when cross-signing is needed and not possible
	 */
	AuthorityState rotatedTo(CaConfig config, CaProvider next, ProviderConfig settings, Instant now,
			DoubleFunction<CsrRateLimiter> limiters) {
		if (!this.provider.supportsCrossSigning() && !settings.forceWithoutCrossSigning()) {
			throw new IllegalArgumentException(CROSS_SIGNING_REQUIRED);
		}
		List<X509Certificate> intermediates = new ArrayList<>();
		if (this.provider.supportsCrossSigning()) {
			intermediates.add(this.provider.crossSign(next.root().root().certificate()));
		}
		if (next.root().keyPair() == null) {
			// The provider signs leaves with its intermediate (Vault): it comes right after the leaf.
			intermediates.addAll(0, next.generateIntermediate());
		}
		else {
			intermediates.addAll(next.generateIntermediate());
		}
		List<SigningRoot> roots = new ArrayList<>();
		String nextId = next.root().root().id();
		for (SigningRoot existing : this.roots) {
			// A provider that keeps its root elsewhere (Vault) may come back with a root still trusted here.
			if (!existing.root().id().equals(nextId)) {
				roots.add((existing.root().active()) ? existing.rotatedOut(now) : existing);
			}
		}
		roots.add(next.root().activated(intermediates));
		return with(config, roots, limiters, next, settings);
	}

}
