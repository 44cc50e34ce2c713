package dev.connect.agent.ca;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.connect.agent.testsupport.MutableClock;
import dev.connect.pki.Pem;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CaOwnRootSnapshotTests {

	private static final Instant NOW = Instant.parse("2031-02-03T04:05:06Z");

	private final MutableClock clock = new MutableClock(NOW);

	private final SecureRandom random = new SecureRandom();

	private final CertificateAuthority ca = CertificateAuthority.create(CaConfig.defaults().withCsrMaxPerSecond(0),
			"dc1", this.clock, this.random);

	@Test
	void ownRootWithARandomSerialSurvivesARestartAndKeepsTheSerialCounterSmall() throws Exception {
		KeyPair key = KeyPairGenerator.getInstance("RSA").generateKeyPair();
		BigInteger randomSerial = new BigInteger(159, this.random).setBit(150);
		X509Certificate own = SvidProfile.root("CN=Own Root", key, this.ca.trustDomain().id().toString(), randomSerial,
				NOW.minusSeconds(60), NOW.plus(Duration.ofDays(30)), this.random);
		ProviderConfig config = new ProviderConfig("consul",
				Map.of("RootCert", Pem.encode(own), "PrivateKey", Pem.encodePkcs8(key.getPrivate())), false);
		assertThat(this.ca.reconfigure(this.ca.config(), config)).isTrue();
		long lastSerial = this.ca.snapshot().lastSerial();
		CertificateAuthority restored = CertificateAuthority.restore(this.ca.snapshot(), "dc1", this.clock,
				this.random);
		assertThat(restored.activeRoot().certificate()).isEqualTo(own);
		IssuedLeaf leaf = restored.issueLeaf("web");
		leaf.certificate().verify(key.getPublic());
		assertThat(leaf.certificate().getSerialNumber()).isEqualTo(BigInteger.valueOf(lastSerial + 1));
		assertThat(leaf.intermediates()).hasSize(1);
	}

}
