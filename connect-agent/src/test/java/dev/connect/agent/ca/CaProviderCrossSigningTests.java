package dev.connect.agent.ca;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.connect.agent.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaProviderCrossSigningTests {

	private static final Instant NOW = Instant.parse("2031-02-03T04:05:06Z");

	private final MutableClock clock = new MutableClock(NOW);

	private final SecureRandom random = new SecureRandom();

	private final CertificateAuthority ca = CertificateAuthority.create(CaConfig.defaults().withCsrMaxPerSecond(0),
			"dc1", this.clock, this.random);

	@Test
	void rotationAwayFromAProviderThatCannotCrossSignNeedsForceWithoutCrossSigning() {
		NoCrossSigning current = new NoCrossSigning(BuiltInProvider.configure(context(), ProviderConfig.builtIn()));
		synchronized (this.ca) {
			this.ca.rotateTo(this.ca.config(), current, ProviderConfig.builtIn());
		}
		RootCertificate active = this.ca.activeRoot();
		CaConfig p384 = this.ca.config().withPrivateKey("ec", 384);
		assertThatThrownBy(() -> this.ca.reconfigure(p384, ProviderConfig.builtIn()))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("The current CA Provider does not support cross-signing. You can try again with "
					+ "ForceWithoutCrossSigningSet but this may cause disruption - see documentation for more.");
		assertThat(this.ca.activeRoot()).isEqualTo(active);
		assertThat(this.ca.config().privateKeyBits()).isEqualTo(256);
		assertThat(current.cleanedUp).isFalse();
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(this.ca.reconfigure(p384, new ProviderConfig("consul", Map.of(), true))).isTrue();
		assertThat(this.ca.activeRoot().privateKeyBits()).isEqualTo(384);
		assertThat(this.ca.activeRoot().intermediates()).as("nothing could cross-sign it").isEmpty();
		assertThat(this.ca.roots()).hasSize(3);
		assertThat(current.cleanedUp).isTrue();
		assertThat(this.ca.issueLeaf("web").certificate().getIssuerX500Principal())
			.isEqualTo(this.ca.activeRoot().certificate().getSubjectX500Principal());
	}

	@Test
	void unknownProviderIsRefusedWithConsulsTextAndNothingChanges() {
		RootCertificate active = this.ca.activeRoot();
		assertThatThrownBy(() -> this.ca.reconfigure(this.ca.config(), new ProviderConfig("aws-pca", Map.of(), false)))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("unknown CA provider \"aws-pca\"");
		assertThat(this.ca.activeRoot()).isEqualTo(active);
		assertThat(this.ca.roots()).hasSize(1);
	}

	@Test
	void leavesAreSignedByTheActiveProviderFromTheAgentsCsr() {
		IssuedLeaf leaf = this.ca.issueLeaf("web");
		assertThat(leaf.certificate().getPublicKey().getEncoded()).isEqualTo(leaf.keyPair().getPublic().getEncoded());
		assertThat(leaf.certificate().getIssuerX500Principal())
			.isEqualTo(this.ca.activeRoot().certificate().getSubjectX500Principal());
	}

	@Test
	void settingsGivenAsJsonNullAreAbsent() {
		Map<String, Object> raw = new java.util.HashMap<>();
		raw.put("RootCert", null);
		raw.put("PrivateKey", null);
		RootCertificate active = this.ca.activeRoot();
		assertThat(this.ca.reconfigure(this.ca.config(), new ProviderConfig("consul", raw, false))).isFalse();
		assertThat(this.ca.activeRoot()).isEqualTo(active);
	}

	private ProviderContext context() {
		return new ProviderContext(this.ca.trustDomain(), this.ca.config(), this.clock, this.random,
				new SerialNumbers(1000));
	}

	/** A provider like one whose CA key cannot sign another root (Consul's aws-pca). */
	private static final class NoCrossSigning implements CaProvider {

		private final CaProvider delegate;

		private volatile boolean cleanedUp;

		NoCrossSigning(CaProvider delegate) {
			this.delegate = delegate;
		}

		@Override
		public String name() {
			return this.delegate.name();
		}

		@Override
		public SigningRoot root() {
			return this.delegate.root();
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
			throw new UnsupportedOperationException("cannot cross-sign");
		}

		@Override
		public void cleanup(boolean providerTypeChange) {
			this.cleanedUp = true;
		}

	}

}
