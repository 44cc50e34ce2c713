package dev.connect.pki;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

import dev.connect.pki.TestPki.Issued;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.util.io.pem.PemReader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PemTests {

	@Test
	void certificatesRoundTripInOrderWithNewlineTerminatedBlocks() {
		Issued root = TestPki.root("example.org");
		Issued leaf = TestPki.leaf("spiffe://example.org/svc/web").signedBy(root);
		String pem = Pem.encode(List.of(leaf.certificate(), root.certificate()));
		assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
		assertThat(pem.lines().filter((line) -> !line.startsWith("-----"))).allMatch((line) -> line.length() <= 64);
		assertThat(Pem.parseCertificates(pem)).containsExactly(leaf.certificate(), root.certificate());
	}

	@Test
	void sec1KeyCarriesNamedCurveAndPublicKeyLikeConsulAndParsesBack() throws Exception {
		KeyPair key = TestPki.ecKey();
		String pem = Pem.encodeSec1(key.getPrivate(), key.getPublic());
		assertThat(pem).startsWith("-----BEGIN EC PRIVATE KEY-----\n").endsWith("-----END EC PRIVATE KEY-----\n");
		byte[] der;
		try (PemReader reader = new PemReader(new java.io.StringReader(pem))) {
			der = reader.readPemObject().getContent();
		}
		ECPrivateKey sec1 = ECPrivateKey.getInstance(der);
		assertThat(sec1.getParametersObject()).isEqualTo(SECObjectIdentifiers.secp256r1);
		assertThat(sec1.getPublicKey())
			.isEqualTo(SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()).getPublicKeyData());
		PrivateKey parsed = Pem.parsePrivateKey(pem);
		assertThat(parsed.getAlgorithm()).isEqualTo("EC");
		assertThat(((java.security.interfaces.ECPrivateKey) parsed).getS())
			.isEqualTo(((java.security.interfaces.ECPrivateKey) key.getPrivate()).getS());
	}

	@Test
	void pkcs8KeysOfEitherAlgorithmParse() throws Exception {
		KeyPair ec = TestPki.ecKey();
		assertThat(Pem.parsePrivateKey(Pem.encodePkcs8(ec.getPrivate())).getEncoded())
			.isEqualTo(ec.getPrivate().getEncoded());
		KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
		rsaGenerator.initialize(2048);
		KeyPair rsa = rsaGenerator.generateKeyPair();
		assertThat(Pem.parsePrivateKey(Pem.encodePkcs8(rsa.getPrivate())).getAlgorithm()).isEqualTo("RSA");
	}

	@Test
	void whenTextHasNoBlockThenParsingFails() {
		assertThatThrownBy(() -> Pem.parseCertificates("not pem"))
			.hasMessage("PEM text contains no 'CERTIFICATE' block");
		assertThatThrownBy(() -> Pem.parsePrivateKey(""))
			.hasMessage("PEM text must contain exactly one private key block, found 0 blocks");
	}

	@Test
	void whenBlockHasAnotherTypeThenParsingFailsNamingTheType() {
		KeyPair key = TestPki.ecKey();
		assertThatThrownBy(() -> Pem.parseCertificates(Pem.encodePkcs8(key.getPrivate())))
			.hasMessage("PEM block of type 'PRIVATE KEY' found where only 'CERTIFICATE' is allowed");
		X509Certificate certificate = TestPki.root("example.org").certificate();
		assertThatThrownBy(() -> Pem.parsePrivateKey(Pem.encode(certificate)))
			.hasMessage("PEM block of type 'CERTIFICATE' is not a private key; allowed are 'EC PRIVATE KEY', "
					+ "'PRIVATE KEY' and 'RSA PRIVATE KEY'");
	}

	@Test
	void whenKeyBlockIsCorruptThenTheMessageCarriesNoKeyMaterial() {
		String body = "MHcCAQEEIBUJ0sVa2XQfakeKeyMaterialThatMustNotLeakIntoLogs0000000";
		String pem = "-----BEGIN EC PRIVATE KEY-----\n" + body + "\n-----END EC PRIVATE KEY-----\n";
		assertThatThrownBy(() -> Pem.parsePrivateKey(pem))
			.hasMessage("Unable to decode PEM private key of type 'EC PRIVATE KEY': it must be an unencrypted EC or RSA key")
			.hasMessageNotContaining(body);
	}

	@Test
	void whenTextHoldsTwoKeysThenParsingFails() {
		KeyPair key = TestPki.ecKey();
		String two = Pem.encodePkcs8(key.getPrivate()) + Pem.encodePkcs8(key.getPrivate());
		assertThatThrownBy(() -> Pem.parsePrivateKey(two))
			.hasMessage("PEM text must contain exactly one private key block, found 2 blocks");
	}

}
