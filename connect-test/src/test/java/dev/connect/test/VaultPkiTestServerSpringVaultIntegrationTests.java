package dev.connect.test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.vault.VaultException;
import org.springframework.vault.authentication.TokenAuthentication;
import org.springframework.vault.client.VaultEndpoint;
import org.springframework.vault.core.VaultPkiOperations;
import org.springframework.vault.core.VaultTemplate;
import org.springframework.vault.support.CertificateBundle;
import org.springframework.vault.support.VaultCertificateRequest;
import org.springframework.vault.support.VaultMount;
import org.springframework.vault.support.VaultResponse;
import org.springframework.vault.support.VaultToken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Spring Vault, a Vault client written elsewhere, against {@link VaultPkiTestServer}: it speaks Vault's API, not
 * only the agent's idea of it.
 */
class VaultPkiTestServerSpringVaultIntegrationTests {

	private static final String WEB = "spiffe://11111111-2222-3333-4444-555555555555.consul/ns/default/dc/dc1/svc/web";

	private final VaultPkiTestServer vault = VaultPkiTestServer.start();

	@AfterEach
	void stop() {
		this.vault.close();
	}

	@Test
	void springVaultMountsAPkiEngineAndIssuesAndSignsSpiffeCertificatesThroughItsRole() throws Exception {
		VaultTemplate template = template(this.vault.rootToken());
		VaultPkiOperations pki = pki(template);
		CertificateBundle issued = pki.issueCertificate("leaf-cert", VaultCertificateRequest.builder()
			.commonName("web")
			.uriSubjectAltNames(List.of(WEB))
			.ttl(Duration.ofHours(1))
			.build()).getRequiredData();
		X509Certificate leaf = issued.getX509Certificate();
		leaf.verify(issued.getX509IssuerCertificate().getPublicKey());
		assertThat(leaf.getSubjectAlternativeNames()).anyMatch((name) -> WEB.equals(name.get(1)));
		assertThat(issued.getPrivateKeyType()).isEqualTo("ec");

		KeyPair key = KeyPairGenerator.getInstance("EC").generateKeyPair();
		X509Certificate signed = pki.signCertificateRequest("leaf-cert", csr(key, WEB),
				VaultCertificateRequest.builder().commonName("web").ttl(Duration.ofHours(1)).build())
			.getRequiredData()
			.getX509Certificate();
		assertThat(signed.getPublicKey()).isEqualTo(key.getPublic());
		signed.verify(issued.getX509IssuerCertificate().getPublicKey());
	}

	@Test
	void roleRefusesAUriSanOutsideAllowedUriSansWithVaultsStatusAndMessage() {
		VaultPkiOperations pki = pki(template(this.vault.rootToken()));
		assertThatExceptionOfType(VaultException.class)
			.isThrownBy(() -> pki.issueCertificate("leaf-cert", VaultCertificateRequest.builder()
				.commonName("web")
				.uriSubjectAltNames(List.of("https://example.com/web"))
				.build()))
			.withMessageContaining("400")
			.withMessageContaining("URI Subject Alternative Name https://example.com/web not allowed by this role");
	}

	@Test
	void springVaultLooksUpAndRenewsATokenAndIsRefusedOnceItExpired() {
		String token = this.vault.createToken(Duration.ofMinutes(10), true);
		VaultTemplate template = template(token);
		VaultResponse lookup = template.read("auth/token/lookup-self");
		assertThat(lookup.getRequiredData()).containsEntry("renewable", true).containsKey("ttl");
		assertThat(template.opsForToken().renew(VaultToken.of(token)).getAuth())
			.containsEntry("client_token", token)
			.containsEntry("renewable", true);
		this.vault.expireNow(token);
		assertThatExceptionOfType(VaultException.class).isThrownBy(() -> template.read("auth/token/lookup-self"))
			.withMessageContaining("403")
			.withMessageContaining("permission denied");
	}

	private VaultTemplate template(String token) {
		return new VaultTemplate(VaultEndpoint.from(this.vault.address()), new TokenAuthentication(token));
	}

	private static VaultPkiOperations pki(VaultTemplate template) {
		template.opsForSys().mount("connect-test-pki", VaultMount.builder().type("pki")
			.config(Map.of("max_lease_ttl", "87600h"))
			.build());
		template.write("connect-test-pki/root/generate/internal", Map.of("common_name", "Test Root", "key_type", "ec",
				"key_bits", 256, "ttl", "8760h"));
		template.write("connect-test-pki/roles/leaf-cert", Map.of("allow_any_name", true, "allowed_uri_sans",
				"spiffe://*", "key_type", "any", "max_ttl", "72h", "no_store", true, "require_cn", false));
		return template.opsForPki("connect-test-pki");
	}

	private static String csr(KeyPair key, String uri) throws Exception {
		ExtensionsGenerator extensions = new ExtensionsGenerator();
		extensions.addExtension(Extension.subjectAlternativeName, true,
				new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, uri)));
		byte[] der = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=web"), key.getPublic())
			.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
			.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()))
			.getEncoded();
		return VaultPkiCertificates.pem("CERTIFICATE REQUEST", der);
	}

}
