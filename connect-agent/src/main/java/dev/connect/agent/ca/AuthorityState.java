package dev.connect.agent.ca;

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

	SigningRoot active() {
		for (SigningRoot root : this.roots) {
			if (root.root().active()) {
				return root;
			}
		}
		throw new IllegalStateException("CA has no active root");
	}

}
