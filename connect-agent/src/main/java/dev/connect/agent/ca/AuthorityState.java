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
 */
record AuthorityState(CaConfig config, List<SigningRoot> roots, CsrRateLimiter limiter, CaProvider provider) {

	AuthorityState {
		roots = List.copyOf(roots);
	}

	/** A new rate gets a new limiter; an unchanged one keeps the limiter and the permits it has counted. */
	AuthorityState with(CaConfig config, List<SigningRoot> roots, DoubleFunction<CsrRateLimiter> limiters) {
		return with(config, roots, limiters, this.provider);
	}

	AuthorityState with(CaConfig config, List<SigningRoot> roots, DoubleFunction<CsrRateLimiter> limiters,
			CaProvider provider) {
		CsrRateLimiter limiter = (this.config.csrMaxPerSecond() == config.csrMaxPerSecond()) ? this.limiter
				: limiters.apply(config.csrMaxPerSecond());
		return new AuthorityState(config, roots, limiter, provider);
	}

	AuthorityState withRoots(List<SigningRoot> roots) {
		return new AuthorityState(this.config, roots, this.limiter, this.provider);
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
