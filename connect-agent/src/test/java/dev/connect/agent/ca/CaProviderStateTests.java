package dev.connect.agent.ca;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.connect.agent.testsupport.MutableClock;
import dev.connect.pki.Pem;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CaProviderStateTests {

	private static final Instant NOW = Instant.parse("2031-02-03T04:05:06Z");

	private final MutableClock clock = new MutableClock(NOW);

	private final SecureRandom random = new SecureRandom();

	private final CertificateAuthority ca = CertificateAuthority.create(CaConfig.defaults().withCsrMaxPerSecond(0),
			"dc1", this.clock, this.random);

	@Test
	void snapshotKeepsTheProviderAndItsSettingsAndRestoreResumesIt() throws Exception {
		KeyPair key = KeyPairGenerator.getInstance("EC").generateKeyPair();
		ProviderConfig config = new ProviderConfig("consul",
				Map.of("PrivateKey", Pem.encodePkcs8(key.getPrivate())), false);
		this.ca.reconfigure(this.ca.config(), config);
		CaSnapshot snapshot = this.ca.snapshot();
		assertThat(snapshot.provider()).isEqualTo("consul");
		assertThat(snapshot.providerConfig()).containsOnlyKeys("PrivateKey");
		CertificateAuthority restored = CertificateAuthority.restore(snapshot, "dc1", this.clock, this.random);
		assertThat(restored.providerConfig()).isEqualTo(config);
		// The same settings again lead to the same root: nothing rotates after a restart.
		assertThat(restored.reconfigure(restored.config(), config)).isFalse();
		restored.issueLeaf("web").certificate().verify(key.getPublic());
	}

	@Test
	void snapshotWrittenBeforeProvidersWereKeptResumesTheBuiltInProvider() {
		CaSnapshot taken = this.ca.snapshot();
		CaSnapshot old = new CaSnapshot(taken.clusterId(), taken.config(), taken.roots(), taken.lastSerial());
		CertificateAuthority restored = CertificateAuthority.restore(old, "dc1", this.clock, this.random);
		assertThat(restored.providerConfig()).isEqualTo(ProviderConfig.builtIn());
		assertThat(restored.activeRoot().id()).isEqualTo(this.ca.activeRoot().id());
	}

	@Test
	void builtInProviderRefusesToResumeARootWhoseKeyWasNotKept() {
		CaSnapshot taken = this.ca.snapshot();
		CaSnapshot.Root root = taken.roots().get(0);
		CaSnapshot keyless = new CaSnapshot(taken.clusterId(), taken.config(),
				List.of(new CaSnapshot.Root(root.certificatePem(), null, List.of(), true, null)), taken.lastSerial());
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CertificateAuthority.restore(keyless, "dc1", this.clock, this.random))
			.withMessage("CA state is inconsistent: provider consul needs the key of the active root '"
					+ this.ca.activeRoot().id() + "', which was not kept");
	}

	@Test
	void snapshotNamingAnUnknownProviderIsRefused() {
		CaSnapshot taken = this.ca.snapshot();
		CaSnapshot unknown = new CaSnapshot(taken.clusterId(), taken.config(), taken.roots(), taken.lastSerial(),
				"hsm", Map.of());
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CertificateAuthority.restore(unknown, "dc1", this.clock, this.random))
			.withMessage("CA state names unknown CA provider \"hsm\"");
	}

	@Test
	void nonSecretSettingsLeaveOutKeysTokensAndAuthMethodParams() {
		ProviderConfig config = new ProviderConfig("vault", Map.of("Address", "https://vault:8200", "Token", "s.secret",
				"PrivateKey", "-----BEGIN", "AuthMethod",
				Map.of("Type", "approle", "MountPath", "ar", "Params", Map.of("secret_id", "hidden"))), false);
		assertThat(config.nonSecret()).isEqualTo(Map.of("Address", "https://vault:8200", "AuthMethod",
				Map.of("Type", "approle", "MountPath", "ar")));
	}

	@Test
	void builtInProviderHasNoIntermediateToRenew() {
		assertThat(this.ca.renewIntermediate()).isFalse();
	}

}
