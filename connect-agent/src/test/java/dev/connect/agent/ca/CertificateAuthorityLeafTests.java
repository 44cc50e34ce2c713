package dev.connect.agent.ca;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.connect.identity.InvalidIdentityException;
import dev.connect.identity.ServiceIdentity;
import dev.connect.pki.ColonHex;
import dev.connect.pki.PeerRole;
import dev.connect.pki.Pem;
import dev.connect.pki.SvidValidator;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import dev.connect.agent.testsupport.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CertificateAuthorityLeafTests {

	private static final Instant NOW = Instant.parse("2031-02-03T04:05:06Z");

	private final MutableClock clock = new MutableClock(NOW);

	private final CertificateAuthority ca = CertificateAuthority.create(CaConfig.defaults().withCsrMaxPerSecond(0),
			"dc1", this.clock, new SecureRandom());

	@Test
	void leafHasEmptySubjectAndOneCriticalUriSanWithTheServiceIdentity() {
		IssuedLeaf leaf = this.ca.issueLeaf("web");
		X509Certificate certificate = leaf.certificate();
		assertThat(Der.of(certificate).asn1().getSubject().getRDNs()).isEmpty();
		Extension san = Der.of(certificate).extension(Extension.subjectAlternativeName);
		assertThat(san.isCritical()).isTrue();
		GeneralName[] names = GeneralNames.getInstance(san.getParsedValue()).getNames();
		assertThat(names).hasSize(1);
		assertThat(names[0].getTagNo()).isEqualTo(GeneralName.uniformResourceIdentifier);
		String expected = "spiffe://" + this.ca.trustDomain().name() + "/ns/default/dc/dc1/svc/web";
		assertThat(names[0].getName().toString()).isEqualTo(expected);
		assertThat(leaf.identity()).isEqualTo(ServiceIdentity.parse(expected));
	}

	@Test
	void leafIsNotACaAndHasConsulsKeyUsages() {
		Der der = Der.of(this.ca.issueLeaf("web").certificate());
		assertThat(der.extension(Extension.basicConstraints).isCritical()).isTrue();
		assertThat(BasicConstraints.getInstance(der.value(Extension.basicConstraints)).isCA()).isFalse();
		assertThat(der.extension(Extension.keyUsage).isCritical()).isTrue();
		assertThat(KeyUsage.getInstance(der.value(Extension.keyUsage))).isEqualTo(new KeyUsage(KeyUsage.digitalSignature
				| KeyUsage.keyEncipherment | KeyUsage.dataEncipherment | KeyUsage.keyAgreement));
		assertThat(der.extension(Extension.extendedKeyUsage).isCritical()).isFalse();
		assertThat(ExtendedKeyUsage.getInstance(der.value(Extension.extendedKeyUsage)).getUsages())
			.containsExactly(KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth);
	}

	@Test
	void leafKeyIdsNameItsOwnKeyAndTheSigningRootKey() throws Exception {
		IssuedLeaf leaf = this.ca.issueLeaf("web");
		Der der = Der.of(leaf.certificate());
		byte[] ownKey = MessageDigest.getInstance("SHA-256").digest(der.asn1().getSubjectPublicKeyInfo().getEncoded());
		assertThat(SubjectKeyIdentifier.getInstance(der.value(Extension.subjectKeyIdentifier)).getKeyIdentifier())
			.isEqualTo(ownKey);
		byte[] authority = AuthorityKeyIdentifier.getInstance(der.value(Extension.authorityKeyIdentifier))
			.getKeyIdentifierOctets();
		assertThat(ColonHex.format(authority)).isEqualTo(this.ca.activeRoot().signingKeyId())
			.isEqualTo(leaf.signingKeyId());
	}

	@Test
	void leafIsBackdatedOneMinuteAndLivesTheConfiguredTtl() {
		IssuedLeaf leaf = this.ca.issueLeaf("web");
		assertThat(leaf.validAfter()).isEqualTo(NOW.minus(Duration.ofMinutes(1)));
		assertThat(leaf.validBefore()).isEqualTo(NOW.minus(Duration.ofMinutes(1)).plus(Duration.ofHours(72)));
		this.ca.updateConfig(this.ca.config().withLeafCertTtl(Duration.ofHours(1)));
		assertThat(this.ca.issueLeaf("web").validBefore()).isEqualTo(NOW.plus(Duration.ofMinutes(59)));
	}

	@Test
	void leafNeverOutlivesItsRoot() {
		Instant rootExpiry = this.ca.activeRoot().notAfter();
		this.clock.advance(Duration.between(NOW, rootExpiry).minus(Duration.ofHours(1)));
		assertThat(this.ca.issueLeaf("web").validBefore()).isEqualTo(rootExpiry);
	}

	@Test
	void whenActiveRootHasExpiredThenNoLeafIsIssued() {
		this.clock.advance(Duration.between(NOW, this.ca.activeRoot().notAfter()).plusSeconds(1));
		assertThatThrownBy(() -> this.ca.issueLeaf("web")).isInstanceOf(IllegalStateException.class)
			.hasMessage("Active CA root '" + this.ca.activeRoot().id() + "' expired at "
					+ this.ca.activeRoot().notAfter() + "; rotate the CA to issue leaves");
	}

	@Test
	void everyLeafHasAFreshEcP256KeyMatchingItsCertificate() throws Exception {
		IssuedLeaf first = this.ca.issueLeaf("web");
		IssuedLeaf second = this.ca.issueLeaf("web");
		assertThat(first.keyPair().getPublic()).isNotEqualTo(second.keyPair().getPublic());
		SubjectPublicKeyInfo key = Der.of(first.certificate()).asn1().getSubjectPublicKeyInfo();
		assertThat(key.getAlgorithm().getParameters()).isEqualTo(SECObjectIdentifiers.secp256r1);
		Signature signer = Signature.getInstance("SHA256withECDSA");
		signer.initSign(Pem.parsePrivateKey(first.privateKeyPem()));
		signer.update(new byte[] { 1, 2, 3 });
		byte[] signature = signer.sign();
		Signature verifier = Signature.getInstance("SHA256withECDSA");
		verifier.initVerify(first.certificate().getPublicKey());
		verifier.update(new byte[] { 1, 2, 3 });
		assertThat(verifier.verify(signature)).isTrue();
		assertThat(first.privateKeyPem()).startsWith("-----BEGIN EC PRIVATE KEY-----\n");
		assertThat(first.toString()).doesNotContain("PRIVATE").contains(first.serialNumber());
	}

	@Test
	void leafValidatesAsAnSvidForBothRoles() throws Exception {
		IssuedLeaf leaf = this.ca.issueLeaf("web");
		SvidValidator validator = SvidValidator.of(List.of(this.ca.activeRoot().certificate()), this.clock);
		assertThat(validator.validate(leaf.chain(), PeerRole.CLIENT)).isEqualTo(leaf.identity().spiffeId());
		assertThat(validator.validate(Pem.parseCertificates(leaf.certPem()), PeerRole.SERVER))
			.isEqualTo(leaf.identity().spiffeId());
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "web service", "..", "web/admin", "web?x", "caf\u00e9" })
	void whenServiceNameIsNotAPathSegmentThenNoLeafIsIssued(String name) {
		assertThatThrownBy(() -> this.ca.issueLeaf(name)).isInstanceOf(InvalidIdentityException.class)
			.hasMessageStartingWith("Service name '")
			.hasMessageEndingWith("' must be a non-empty SPIFFE path segment: letters, digits, '.', '-' or '_'");
	}

	@Test
	void serialsAreUniqueAndIncreasingUnderConcurrentIssuance() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			List<Callable<List<Long>>> workers = new ArrayList<>();
			for (int w = 0; w < 4; w++) {
				workers.add(() -> {
					List<Long> serials = new ArrayList<>();
					for (int i = 0; i < 50; i++) {
						serials.add(this.ca.issueLeaf("web").certificate().getSerialNumber().longValueExact());
					}
					return serials;
				});
			}
			List<Long> all = new ArrayList<>();
			for (Future<List<Long>> result : pool.invokeAll(workers)) {
				List<Long> serials = result.get();
				assertThat(serials).as("each thread sees increasing serials").isSorted();
				all.addAll(serials);
			}
			assertThat(all).doesNotHaveDuplicates().hasSize(200);
			long rootSerial = this.ca.activeRoot().serialNumber();
			assertThat(Collections.min(all)).isGreaterThan(rootSerial);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void serialNumberIsRenderedAsConsulColonHex() {
		IssuedLeaf leaf = this.ca.issueLeaf("web");
		assertThat(leaf.serialNumber()).isEqualTo(ColonHex.serial(leaf.certificate().getSerialNumber()));
	}

}
