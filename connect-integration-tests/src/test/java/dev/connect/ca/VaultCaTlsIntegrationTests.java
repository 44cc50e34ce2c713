package dev.connect.ca;

import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import dev.connect.pki.Pem;
import dev.connect.test.VaultPkiTestServer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code vault} provider over TLS: the Vault test server on HTTPS with a certificate for {@code vault.test}
 * from a test CA, requiring a client certificate from that CA.
 */
class VaultCaTlsIntegrationTests {

	private final KeyPair caKey = key();

	private final X509Certificate ca = certificate("CN=Test Vault CA", this.caKey, "CN=Test Vault CA", this.caKey, true,
			null);

	private final KeyPair serverKey = key();

	private final X509Certificate server = certificate("CN=vault.test", this.serverKey, "CN=Test Vault CA", this.caKey,
			false, "vault.test");

	private final KeyPair clientKey = key();

	private final X509Certificate client = certificate("CN=connect-agent", this.clientKey, "CN=Test Vault CA",
			this.caKey, false, null);

	private final VaultPkiTestServer vault = VaultPkiTestServer.startHttps(serverContext(), true);

	private final CaAgent agent = CaAgent.start(Clock.systemUTC());

	@TempDir
	Path files;

	@AfterEach
	void stop() {
		this.agent.close();
		this.vault.close();
	}

	@Test
	void agentTrustsVaultThroughCaFileAndTlsServerNameAndPresentsItsClientCertificate() throws Exception {
		Map<String, Object> config = tlsConfig();
		HttpResponse<String> put = this.agent.configure("vault", config);
		assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
		assertThat(this.agent.leaf("web")).hasSize(3);
	}

	@Test
	void withoutTlsServerNameTheAddressMustMatchVaultsCertificate() throws Exception {
		Map<String, Object> config = tlsConfig();
		config.remove("TLSServerName");
		assertRefused(config, "Unable to reach Vault at " + this.vault.address());
	}

	@Test
	void withoutCaFileVaultsCertificateIsNotTrustedUnlessTlsSkipVerify() throws Exception {
		Map<String, Object> config = tlsConfig();
		config.remove("CAFile");
		assertRefused(config, "Unable to reach Vault at " + this.vault.address());
		config.put("TLSSkipVerify", true);
		HttpResponse<String> put = this.agent.configure("vault", config);
		assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
	}

	@Test
	void withoutAClientCertificateVaultRefusesTheConnection() throws Exception {
		Map<String, Object> config = tlsConfig();
		config.remove("CertFile");
		config.remove("KeyFile");
		assertRefused(config, "Unable to reach Vault at " + this.vault.address());
	}

	@Test
	void unreadableCaFileIsRefusedNamingTheFieldAndTheFile() throws Exception {
		Map<String, Object> config = tlsConfig();
		config.put("CAFile", this.files.resolve("missing.pem").toString());
		assertRefused(config, "CAFile '" + this.files.resolve("missing.pem") + "' cannot be read");
	}

	private void assertRefused(Map<String, Object> config, String message) {
		HttpResponse<String> put = this.agent.configure("vault", config);
		assertThat(put.statusCode()).isEqualTo(500);
		assertThat(put.body()).contains(message);
	}

	private Map<String, Object> tlsConfig() throws Exception {
		Map<String, Object> config = CaAgent.vaultConfig(null, "Token", this.vault.rootToken());
		config.put("Address", this.vault.address().toString());
		config.put("CAFile", Files.writeString(this.files.resolve("ca.pem"), Pem.encode(this.ca)).toString());
		config.put("CertFile", Files.writeString(this.files.resolve("client.pem"), Pem.encode(this.client)).toString());
		config.put("KeyFile", Files.writeString(this.files.resolve("client-key.pem"),
				Pem.encodePkcs8(this.clientKey.getPrivate())).toString());
		config.put("TLSServerName", "vault.test");
		return config;
	}

	private SSLContext serverContext() {
		try {
			KeyStore keys = KeyStore.getInstance("PKCS12");
			keys.load(null, null);
			keys.setKeyEntry("server", this.serverKey.getPrivate(), new char[0],
					new X509Certificate[] { this.server, this.ca });
			KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keyManagers.init(keys, new char[0]);
			KeyStore trusted = KeyStore.getInstance("PKCS12");
			trusted.load(null, null);
			trusted.setCertificateEntry("ca", this.ca);
			TrustManagerFactory trustManagers = TrustManagerFactory
				.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trustManagers.init(trusted);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
			return context;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static KeyPair key() {
		try {
			return KeyPairGenerator.getInstance("EC").generateKeyPair();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static X509Certificate certificate(String subject, KeyPair key, String issuer, KeyPair issuerKey,
			boolean ca, String dnsName) {
		try {
			Instant now = Instant.now();
			JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
					BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(60)),
					Date.from(now.plus(Duration.ofDays(1))), new X500Name(subject), key.getPublic());
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
			if (dnsName != null) {
				builder.addExtension(Extension.subjectAlternativeName, false,
						new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
			}
			return new JcaX509CertificateConverter()
				.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
