package dev.connect.agent.ca;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

import dev.connect.pki.ColonHex;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import dev.connect.agent.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CertificateAuthorityRootTests {

	private static final Instant NOW = Instant.parse("2031-02-03T04:05:06Z");

	private final MutableClock clock = new MutableClock(NOW);

	private final CertificateAuthority ca = CertificateAuthority.create(CaConfig.defaults(), "dc1", this.clock,
			new SecureRandom());

	@Test
	void trustDomainIsTheRandomClusterIdWithConsulSuffix() {
		assertThat(this.ca.clusterId().version()).isEqualTo(4);
		assertThat(this.ca.trustDomain().name()).isEqualTo(this.ca.clusterId() + ".consul");
		CertificateAuthority other = CertificateAuthority.create(CaConfig.defaults(), "dc1", this.clock,
				new SecureRandom());
		assertThat(other.clusterId()).isNotEqualTo(this.ca.clusterId());
	}

	@Test
	void rootHasConsulSubjectAndTrustDomainUriSan() {
		X509Certificate root = this.ca.activeRoot().certificate();
		String td8 = this.ca.trustDomain().name().substring(0, 8);
		assertThat(root.getSubjectX500Principal().getName())
			.matches("CN=pri-[0-9a-z]{1,8}\\.consul\\.ca\\." + Pattern.quote(td8) + "\\.consul");
		assertThat(root.getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
		Der der = Der.of(root);
		GeneralName[] names = GeneralNames.getInstance(der.value(Extension.subjectAlternativeName)).getNames();
		assertThat(names).hasSize(1);
		assertThat(names[0].getTagNo()).isEqualTo(GeneralName.uniformResourceIdentifier);
		assertThat(names[0].getName().toString()).isEqualTo("spiffe://" + this.ca.trustDomain().name());
	}

	@Test
	void rootIsACriticalPathLengthZeroCaThatSignsCertificatesAndCrls() {
		Der der = Der.of(this.ca.activeRoot().certificate());
		assertThat(der.extension(Extension.basicConstraints).isCritical()).isTrue();
		BasicConstraints constraints = BasicConstraints.getInstance(der.value(Extension.basicConstraints));
		assertThat(constraints.isCA()).isTrue();
		assertThat(constraints.getPathLenConstraint()).isZero();
		assertThat(der.extension(Extension.keyUsage).isCritical()).isTrue();
		KeyUsage usage = KeyUsage.getInstance(der.value(Extension.keyUsage));
		assertThat(usage).isEqualTo(new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign | KeyUsage.cRLSign));
		assertThat(der.extensions().getExtension(Extension.extendedKeyUsage)).isNull();
	}

	@Test
	void rootKeyIdsAreSha256OfThePublicKeyInfo() throws Exception {
		X509Certificate root = this.ca.activeRoot().certificate();
		byte[] expected = MessageDigest.getInstance("SHA-256").digest(Der.of(root).asn1().getSubjectPublicKeyInfo()
			.getEncoded());
		Der der = Der.of(root);
		assertThat(SubjectKeyIdentifier.getInstance(der.value(Extension.subjectKeyIdentifier)).getKeyIdentifier())
			.hasSize(32)
			.isEqualTo(expected);
		assertThat(AuthorityKeyIdentifier.getInstance(der.value(Extension.authorityKeyIdentifier))
			.getKeyIdentifierOctets()).isEqualTo(expected);
		assertThat(this.ca.activeRoot().signingKeyId()).isEqualTo(ColonHex.format(expected));
	}

	@Test
	void rootIsValidFromNowForTenYearsWithoutBackdate() {
		RootCertificate root = this.ca.activeRoot();
		assertThat(root.notBefore()).isEqualTo(NOW);
		assertThat(root.notAfter()).isEqualTo(NOW.plus(Duration.ofHours(87600)));
	}

	@Test
	void rootIsEcP256SignedWithEcdsaSha256ByDefault() {
		X509Certificate root = this.ca.activeRoot().certificate();
		SubjectPublicKeyInfo key = Der.of(root).asn1().getSubjectPublicKeyInfo();
		assertThat(key.getAlgorithm().getAlgorithm()).isEqualTo(X9ObjectIdentifiers.id_ecPublicKey);
		assertThat(key.getAlgorithm().getParameters()).isEqualTo(SECObjectIdentifiers.secp256r1);
		assertThat(Der.of(root).asn1().getSignatureAlgorithm().getAlgorithm())
			.isEqualTo(X9ObjectIdentifiers.ecdsa_with_SHA256);
		assertThat(this.ca.activeRoot().privateKeyType()).isEqualTo("ec");
		assertThat(this.ca.activeRoot().privateKeyBits()).isEqualTo(256);
	}

	@Test
	void rootKeyTypeAndSizeAreConfigurable() {
		CertificateAuthority ec384 = CertificateAuthority.create(CaConfig.defaults().withPrivateKey("ec", 384), "dc1",
				this.clock, new SecureRandom());
		assertThat(((ECPublicKey) ec384.activeRoot().certificate().getPublicKey()).getParams().getOrder().bitLength())
			.isEqualTo(384);
		assertThat(Der.of(ec384.activeRoot().certificate()).asn1().getSignatureAlgorithm().getAlgorithm())
			.isEqualTo(X9ObjectIdentifiers.ecdsa_with_SHA256);
		CertificateAuthority rsa = CertificateAuthority.create(CaConfig.defaults().withPrivateKey("rsa", 2048), "dc1",
				this.clock, new SecureRandom());
		assertThat(((RSAPublicKey) rsa.activeRoot().certificate().getPublicKey()).getModulus().bitLength())
			.isEqualTo(2048);
		assertThat(Der.of(rsa.activeRoot().certificate()).asn1().getSignatureAlgorithm().getAlgorithm())
			.isEqualTo(new ASN1ObjectIdentifier("1.2.840.113549.1.1.11"));
		assertThat(rsa.activeRoot().privateKeyType()).isEqualTo("rsa");
	}

	@Test
	void rootIdIsColonHexSha1OfTheDerAndNameIsConsuls() throws Exception {
		RootCertificate root = this.ca.activeRoot();
		byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(root.certificate().getEncoded());
		assertThat(root.id()).isEqualTo(ColonHex.format(sha1)).hasSize(59);
		assertThat(root.name()).isEqualTo("Consul CA Primary Cert");
		assertThat(root.serialNumber()).isEqualTo(root.certificate().getSerialNumber().longValueExact());
		assertThat(root.active()).isTrue();
		assertThat(root.rotatedOutAt()).isNull();
		assertThat(root.intermediates()).isEmpty();
		assertThat(root.rootCertPem()).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("\n");
		assertThat(this.ca.roots()).containsExactly(root);
	}

}
