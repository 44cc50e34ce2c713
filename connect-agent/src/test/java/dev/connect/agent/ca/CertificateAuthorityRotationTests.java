package dev.connect.agent.ca;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.connect.pki.KeyIdentifiers;
import dev.connect.pki.PeerRole;
import dev.connect.pki.SvidValidator;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import dev.connect.agent.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CertificateAuthorityRotationTests {

	private static final Instant NOW = Instant.parse("2031-02-03T04:05:06Z");

	private final MutableClock clock = new MutableClock(NOW);

	private final CertificateAuthority ca = CertificateAuthority.create(CaConfig.defaults().withCsrMaxPerSecond(0),
			"dc1", this.clock, new SecureRandom());

	@Test
	void rotationMakesANewActiveRootAndKeepsTheOldOneTrustedButInactive() {
		RootCertificate old = this.ca.activeRoot();
		this.clock.advance(Duration.ofHours(1));
		RootCertificate next = this.ca.rotate();
		assertThat(next.id()).isNotEqualTo(old.id());
		assertThat(next.signingKeyId()).isNotEqualTo(old.signingKeyId());
		assertThat(next.certificate().getSubjectX500Principal()).isNotEqualTo(old.certificate().getSubjectX500Principal());
		assertThat(this.ca.activeRoot()).isEqualTo(next);
		assertThat(this.ca.roots()).hasSize(2);
		RootCertificate rotatedOut = this.ca.roots().get(0);
		assertThat(rotatedOut.id()).isEqualTo(old.id());
		assertThat(rotatedOut.active()).isFalse();
		assertThat(rotatedOut.rotatedOutAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
		assertThat(this.ca.roots().stream().filter(RootCertificate::active)).containsExactly(next);
	}

	@Test
	void newRootIsCrossSignedByTheOldKeyForSevenDays() throws Exception {
		RootCertificate old = this.ca.activeRoot();
		RootCertificate next = this.ca.rotate();
		assertThat(next.intermediates()).hasSize(1);
		X509Certificate cross = next.intermediates().get(0);
		cross.verify(old.certificate().getPublicKey());
		assertThat(cross.getSubjectX500Principal()).isEqualTo(next.certificate().getSubjectX500Principal());
		assertThat(cross.getIssuerX500Principal()).isEqualTo(old.certificate().getSubjectX500Principal());
		assertThat(cross.getPublicKey()).isEqualTo(next.certificate().getPublicKey());
		assertThat(cross.getSerialNumber()).isNotEqualTo(next.certificate().getSerialNumber());
		assertThat(KeyIdentifiers.authorityKeyId(cross)).hasValueSatisfying(
				(akid) -> assertThat(akid).isEqualTo(KeyIdentifiers.subjectKeyId(old.certificate()).orElseThrow()));
		assertThat(KeyIdentifiers.subjectKeyId(cross)).hasValueSatisfying(
				(skid) -> assertThat(skid).isEqualTo(KeyIdentifiers.subjectKeyId(next.certificate()).orElseThrow()));
		assertThat(cross.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofMinutes(1)));
		assertThat(cross.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(7)));
		Der der = Der.of(cross);
		assertThat(BasicConstraints.getInstance(der.value(Extension.basicConstraints)).getPathLenConstraint()).isZero();
		assertThat(der.extension(Extension.basicConstraints).isCritical()).isTrue();
	}

	@Test
	void leavesOfTheNewRootVerifyAgainstTheOldRootThroughTheCrossSignedCertificate() throws Exception {
		RootCertificate old = this.ca.activeRoot();
		RootCertificate next = this.ca.rotate();
		IssuedLeaf leaf = this.ca.issueLeaf("web");
		assertThat(leaf.intermediates()).isEqualTo(next.intermediates());
		assertThat(leaf.certificate().getIssuerX500Principal()).isEqualTo(next.certificate().getSubjectX500Principal());
		SvidValidator oldOnly = SvidValidator.of(List.of(old.certificate()), this.clock);
		SvidValidator newOnly = SvidValidator.of(List.of(next.certificate()), this.clock);
		SvidValidator both = SvidValidator.of(this.ca.roots().stream().map(RootCertificate::certificate).toList(),
				this.clock);
		assertThat(oldOnly.validate(leaf.chain(), PeerRole.CLIENT)).isEqualTo(leaf.identity().spiffeId());
		assertThat(newOnly.validate(leaf.chain(), PeerRole.SERVER)).isEqualTo(leaf.identity().spiffeId());
		assertThat(both.validate(leaf.chain(), PeerRole.CLIENT)).isEqualTo(leaf.identity().spiffeId());
	}

	@Test
	void leavesOfTheOldRootStayValidAgainstTheBundleAfterRotation() throws Exception {
		IssuedLeaf before = this.ca.issueLeaf("web");
		this.ca.rotate();
		SvidValidator bundle = SvidValidator.of(this.ca.roots().stream().map(RootCertificate::certificate).toList(),
				this.clock);
		assertThat(bundle.validate(before.chain(), PeerRole.CLIENT)).isEqualTo(before.identity().spiffeId());
	}

	@Test
	void whenOnlyTheNewRootIsTrustedThenALeafOfTheOldRootIsRefused() {
		IssuedLeaf before = this.ca.issueLeaf("web");
		RootCertificate next = this.ca.rotate();
		SvidValidator newOnly = SvidValidator.of(List.of(next.certificate()), this.clock);
		assertThatThrownBy(() -> newOnly.validate(before.chain(), PeerRole.CLIENT))
			.hasMessageContaining("does not chain to a trusted root of this mesh");
	}

	@Test
	void rotatedOutRootIsPrunedOnlyAfterTwiceTheLeafTtl() {
		RootCertificate old = this.ca.activeRoot();
		this.ca.rotate();
		this.clock.advance(Duration.ofHours(144));
		assertThat(this.ca.pruneRoots()).isEmpty();
		assertThat(this.ca.roots()).hasSize(2);
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.ca.pruneRoots()).containsExactly(old.id());
		assertThat(this.ca.roots()).containsExactly(this.ca.activeRoot());
		assertThat(this.ca.pruneRoots()).isEmpty();
	}

	@Test
	void aSecondRotationCrossSignsWithTheThenActiveRoot() throws Exception {
		this.ca.rotate();
		RootCertificate middle = this.ca.activeRoot();
		RootCertificate last = this.ca.rotate();
		assertThat(this.ca.roots()).hasSize(3);
		last.intermediates().get(0).verify(middle.certificate().getPublicKey());
		IssuedLeaf leaf = this.ca.issueLeaf("web");
		SvidValidator middleOnly = SvidValidator.of(List.of(middle.certificate()), this.clock);
		assertThat(middleOnly.validate(leaf.chain(), PeerRole.CLIENT)).isEqualTo(leaf.identity().spiffeId());
	}

	@Test
	void changingTheKeyTypeRotatesTheRootWhileOtherChangesDoNot() {
		RootCertificate first = this.ca.activeRoot();
		assertThat(this.ca.updateConfig(this.ca.config().withLeafCertTtl(Duration.ofHours(24)))).isFalse();
		assertThat(this.ca.activeRoot()).isEqualTo(first);
		assertThat(this.ca.config().leafCertTtl()).isEqualTo(Duration.ofHours(24));
		assertThat(this.ca.updateConfig(this.ca.config().withPrivateKey("ec", 384))).isTrue();
		assertThat(this.ca.activeRoot().privateKeyBits()).isEqualTo(384);
		assertThat(this.ca.roots()).hasSize(2);
	}

}
