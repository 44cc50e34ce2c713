package dev.connect.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.net.ssl.X509KeyManager;

import dev.connect.pki.InvalidSvidException;
import dev.connect.pki.PeerRole;
import dev.connect.pki.Pem;
import dev.connect.pki.SvidValidator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SvidAuthorityTests {

	private final SvidAuthority ca = SvidAuthority.builder().trustDomain("11111111-2222-3333-4444-555555555555.consul").build();

	private final SvidValidator validator = SvidValidator.of(List.of(this.ca.root().certificate()), Clock.systemUTC());

	@Test
	void aDefaultLeafIsAValidSvidForItsServiceInBothRoles() throws Exception {
		HeldSvid web = this.ca.leaf("web").build();
		for (PeerRole role : PeerRole.values()) {
			assertThat(this.validator.validate(List.of(web.certificate()), role).toString())
				.isEqualTo("spiffe://11111111-2222-3333-4444-555555555555.consul/ns/default/dc/dc1/svc/web");
		}
	}

	@Test
	void outputsRoundTripThroughPemAndTheJdkManagers() throws Exception {
		HeldSvid web = this.ca.leaf("web").datacenter("east").build();
		assertThat(Pem.parseCertificates(web.certificatePem())).containsExactly(web.certificate());
		assertThat(Pem.parsePrivateKey(web.privateKeyPem()).getEncoded()).isEqualTo(web.keyPair().getPrivate().getEncoded());
		X509KeyManager keys = (X509KeyManager) web.keyManagerFactory().getKeyManagers()[0];
		assertThat(keys.getCertificateChain("svid")).containsExactly(web.certificate());
		assertThat(this.ca.trustManagerFactory().getTrustManagers()).hasSize(1);
		assertThat(web.toString()).doesNotContain(web.privateKeyPem().substring(30, 60));
		assertThat(SvidValidator.spiffeIdOf(web.certificate()).toString()).endsWith("/dc/east/svc/web");
	}

	@Test
	void anExpiredLeafIsRefused() {
		HeldSvid expired = this.ca.leaf("web")
			.validity(Instant.now().minus(Duration.ofDays(2)), Instant.now().minus(Duration.ofDays(1)))
			.build();
		assertThatExceptionOfType(InvalidSvidException.class)
			.isThrownBy(() -> this.validator.validate(List.of(expired.certificate()), PeerRole.SERVER))
			.withMessageContaining("expired");
	}

	@Test
	void aLeafWithTwoUriSansIsRefused() {
		HeldSvid twoNames = this.ca.leaf("web").additionalUri("spiffe://11111111-2222-3333-4444-555555555555.consul/ns/default/dc/dc1/svc/db").build();
		assertThatExceptionOfType(InvalidSvidException.class)
			.isThrownBy(() -> this.validator.validate(List.of(twoNames.certificate()), PeerRole.CLIENT))
			.withMessageContaining("has 2 URI SANs");
	}

	@Test
	void aLeafFromAnotherAuthorityDoesNotChainToThisOne() {
		HeldSvid stranger = SvidAuthority.builder().trustDomain("11111111-2222-3333-4444-555555555555.consul").build()
			.leaf("web").build();
		assertThatExceptionOfType(InvalidSvidException.class)
			.isThrownBy(() -> this.validator.validate(List.of(stranger.certificate()), PeerRole.CLIENT))
			.withMessageContaining("does not chain to a trusted root");
	}

	@Test
	void aValidityThatEndsBeforeItStartsIsRefusedAndChangesNothing() {
		Instant start = Instant.parse("2030-01-02T00:00:00Z");
		SvidAuthority.LeafBuilder leaf = this.ca.leaf("web");
		assertThatIllegalArgumentException().isThrownBy(() -> leaf.validity(start, start))
			.withMessage("Validity must end after it starts, but was from 2030-01-02T00:00:00Z to 2030-01-02T00:00:00Z");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SvidAuthority.builder().validity(start, start.minus(Duration.ofDays(1))))
			.withMessage("Validity must end after it starts, but was from 2030-01-02T00:00:00Z to 2030-01-01T00:00:00Z");
		assertThat(leaf.build().certificate().getNotAfter().toInstant()).as("the default validity stays")
			.isAfter(Instant.now().plus(Duration.ofHours(71)));
	}

}
