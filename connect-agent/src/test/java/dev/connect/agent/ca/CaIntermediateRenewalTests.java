package dev.connect.agent.ca;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.connect.agent.testsupport.MutableClock;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A provider that signs through an intermediate (as Vault does): its place in the chain and its renewal. */
class CaIntermediateRenewalTests {

	private static final Instant NOW = Instant.parse("2031-02-03T04:05:06Z");

	private final MutableClock clock = new MutableClock(NOW);

	private final SecureRandom random = new SecureRandom();

	private final CertificateAuthority ca = CertificateAuthority.create(CaConfig.defaults().withCsrMaxPerSecond(0),
			"dc1", this.clock, this.random);

	@Test
	void intermediateOfAProviderHoldingNoRootKeyComesRightAfterTheLeafAndIsReplacedWhenRenewed() {
		X509Certificate first = someCa();
		X509Certificate second = someCa();
		WithIntermediate provider = new WithIntermediate(BuiltInProvider.configure(context(), ProviderConfig.builtIn()),
				first, second);
		synchronized (this.ca) {
			this.ca.rotateTo(this.ca.config(), provider, ProviderConfig.builtIn());
		}
		List<X509Certificate> before = this.ca.activeRoot().intermediates();
		assertThat(before).hasSize(2).first().isEqualTo(first);
		assertThat(this.ca.renewIntermediate()).isFalse();
		provider.due = true;
		assertThat(this.ca.renewIntermediate()).isTrue();
		assertThat(this.ca.activeRoot().intermediates()).containsExactly(second, before.get(1));
		assertThat(this.ca.issueLeaf("web").intermediates()).containsExactly(second, before.get(1));
	}

	private X509Certificate someCa() {
		return BuiltInProvider.configure(context(), ProviderConfig.builtIn()).root().root().certificate();
	}

	private ProviderContext context() {
		return new ProviderContext(this.ca.trustDomain(), this.ca.config(), this.clock, this.random,
				new SerialNumbers(1000));
	}

	/** Signs with the delegate, presents a root without its key, and renews its intermediate once due. */
	private static final class WithIntermediate implements CaProvider {

		private final CaProvider delegate;

		private final X509Certificate renewed;

		private X509Certificate current;

		private volatile boolean due;

		WithIntermediate(CaProvider delegate, X509Certificate first, X509Certificate renewed) {
			this.delegate = delegate;
			this.current = first;
			this.renewed = renewed;
		}

		@Override
		public String name() {
			return "with-intermediate";
		}

		@Override
		public SigningRoot root() {
			return new SigningRoot(this.delegate.root().root(), null);
		}

		@Override
		public List<X509Certificate> generateIntermediate() {
			return List.of(this.current);
		}

		@Override
		public @Nullable List<X509Certificate> renewIntermediate(Instant now) {
			if (!this.due) {
				return null;
			}
			this.due = false;
			this.current = this.renewed;
			return List.of(this.renewed);
		}

		@Override
		public X509Certificate sign(LeafCsr csr, Duration ttl) {
			return this.delegate.sign(csr, ttl);
		}

		@Override
		public boolean supportsCrossSigning() {
			return false;
		}

		@Override
		public X509Certificate crossSign(X509Certificate newRoot) {
			throw new UnsupportedOperationException("not in this test");
		}

	}

}
