package dev.connect.agent.http;

import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.pki.PeerRole;
import dev.connect.pki.Pem;
import dev.connect.pki.SvidValidator;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An own self-issued root with its certificate from an operator's upper root in {@code IntermediateCerts}: leaves
 * validate against the published root and against the upper root alone; a root that is not self-issued, or a chain
 * that does not link, is refused naming the certificate.
 */
class CaOwnRootChainIntegrationTests {

	private static final SecureRandom RANDOM = new SecureRandom();

	private static DevAgent agent;

	private static AgentHttp http;

	private static String trustDomainUri;

	@BeforeAll
	static void startAgent() {
		agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0));
		http = new AgentHttp(agent);
		trustDomainUri = "spiffe://" + AgentHttp.json(http.get("/v1/connect/ca/roots")).get("TrustDomain").asString();
	}

	@AfterAll
	static void stopAgent() {
		agent.close();
	}

	@Test
	void ownRootIssuedByAnUpperRootSignsLeavesThatValidateAgainstTheUpperRootAlone() throws Exception {
		KeyPair upperKey = CaOwnRootIntegrationTests.key("EC", 256);
		X509Certificate upper = ca("CN=Corp Root", upperKey, null, upperKey, "spiffe://corp.example");
		KeyPair key = CaOwnRootIntegrationTests.key("EC", 256);
		X509Certificate own = ca("CN=Corp Mesh CA", key, null, key, trustDomainUri);
		X509Certificate ownByUpper = ca("CN=Corp Mesh CA", key, upper, upperKey, trustDomainUri);
		HttpResponse<String> put = put(own, key, ownByUpper);
		assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
		JsonNode leaf = AgentHttp.json(http.get("/v1/agent/connect/ca/leaf/corp-web"));
		List<X509Certificate> chain = Pem.parseCertificates(leaf.get("CertPEM").asString());
		assertThat(chain).contains(ownByUpper);
		assertThat(SvidValidator.of(List.of(upper), Clock.systemUTC()).validate(chain, PeerRole.CLIENT).path())
			.endsWith("/svc/corp-web");
		assertThat(SvidValidator.of(List.of(own), Clock.systemUTC()).validate(chain, PeerRole.CLIENT).path())
			.endsWith("/svc/corp-web");
	}

	@Test
	void rootThatIsNotSelfIssuedOrAnIntermediateForAnotherKeyIsRefused() throws Exception {
		String before = http.get("/v1/connect/ca/roots").body();
		KeyPair upperKey = CaOwnRootIntegrationTests.key("EC", 256);
		X509Certificate upper = ca("CN=Corp Root", upperKey, null, upperKey, "spiffe://corp.example");
		KeyPair strangerKey = CaOwnRootIntegrationTests.key("EC", 256);
		X509Certificate stranger = ca("CN=Stranger Root", strangerKey, null, strangerKey, "spiffe://other.example");
		KeyPair key = CaOwnRootIntegrationTests.key("EC", 256);
		X509Certificate issued = ca("CN=Corp Mesh CA", key, upper, upperKey, trustDomainUri);
		HttpResponse<String> notSelfIssued = put(issued, key, upper);
		assertThat(notSelfIssued.statusCode()).isEqualTo(500);
		assertThat(notSelfIssued.body()).isEqualTo("RootCert 'CN=Corp Mesh CA' is not self-issued (issuer "
				+ "'CN=Corp Root'); give a self-issued root, and its certificate from an upper CA in IntermediateCerts");
		X509Certificate own = ca("CN=Corp Mesh CA", key, null, key, trustDomainUri);
		HttpResponse<String> put = put(own, key, stranger);
		assertThat(put.statusCode()).isEqualTo(500);
		assertThat(put.body()).isEqualTo("IntermediateCerts[0] 'CN=Stranger Root' is not a certificate for RootCert "
				+ "'CN=Corp Mesh CA': the first must have its subject and key, issued by the upper CA");
		HttpResponse<String> withoutRoot = http.put("/v1/connect/ca/configuration",
				"{\"Provider\":\"consul\",\"Config\":{\"IntermediateCerts\":[" + Json.MAPPER.writeValueAsString(
						Pem.encode(upper)) + "]}}");
		assertThat(withoutRoot.statusCode()).isEqualTo(500);
		assertThat(withoutRoot.body()).startsWith("IntermediateCerts needs RootCert and PrivateKey");
		assertThat(http.get("/v1/connect/ca/roots").body()).isEqualTo(before);
	}

	private static HttpResponse<String> put(X509Certificate root, KeyPair key, X509Certificate intermediate)
			throws Exception {
		return http.put("/v1/connect/ca/configuration", "{\"Provider\":\"consul\",\"Config\":{\"RootCert\":"
				+ Json.MAPPER.writeValueAsString(Pem.encode(root)) + ",\"PrivateKey\":"
				+ Json.MAPPER.writeValueAsString(Pem.encodePkcs8(key.getPrivate())) + ",\"IntermediateCerts\":["
				+ Json.MAPPER.writeValueAsString(Pem.encode(intermediate)) + "]}}");
	}

	/** A CA certificate without a path length limit, self-signed when there is no issuer. */
	private static X509Certificate ca(String subject, KeyPair key, X509Certificate issuer, KeyPair issuerKey,
			String uri) throws Exception {
		Instant now = Instant.now();
		X500Name issuerName = (issuer != null) ? X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded())
				: new X500Name(subject);
		JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
				BigInteger.valueOf(RANDOM.nextInt(1 << 30) + 1L), Date.from(now.minusSeconds(60)),
				Date.from(now.plus(Duration.ofDays(30))), new X500Name(subject), key.getPublic());
		builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
		builder.addExtension(Extension.keyUsage, true,
				new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
		builder.addExtension(Extension.subjectAlternativeName, false,
				new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, uri)));
		return new JcaX509CertificateConverter().getCertificate(
				builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
	}

}
