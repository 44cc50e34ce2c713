package dev.connect.agent.http;

import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.agent.ca.SvidProfile;
import dev.connect.pki.PeerRole;
import dev.connect.pki.Pem;
import dev.connect.pki.SvidValidator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code consul} provider with the operator's own root ({@code RootCert} + {@code PrivateKey}) through
 * {@code PUT /v1/connect/ca/configuration}: accepted roots sign leaves, bad ones are refused with a message naming
 * the field and nothing changes.
 */
class CaOwnRootIntegrationTests {

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
	void ownRsaRootSignsLeavesAndIsPublishedAsTheActiveRoot() throws Exception {
		KeyPair key = key("RSA", 2048);
		X509Certificate root = root(key, trustDomainUri, Instant.now().minusSeconds(60), Duration.ofDays(30));
		HttpResponse<String> put = put(root, key);
		assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
		JsonNode active = activeRoot();
		assertThat(Pem.parseCertificates(active.get("RootCert").asString()).get(0)).isEqualTo(root);
		assertThat(active.get("PrivateKeyType").asString()).isEqualTo("rsa");
		JsonNode leaf = AgentHttp.json(http.get("/v1/agent/connect/ca/leaf/own-root-web"));
		List<X509Certificate> chain = Pem.parseCertificates(leaf.get("CertPEM").asString());
		assertThat(chain.get(0).getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
		SvidValidator ownRootOnly = SvidValidator.of(List.of(root), Clock.systemUTC());
		assertThat(ownRootOnly.validate(chain.subList(0, 1), PeerRole.SERVER).path()).endsWith("/svc/own-root-web");
		assertThat(put(root, key).statusCode()).isEqualTo(200);
		assertThat(activeRoot().get("ID")).as("the same root again is no rotation").isEqualTo(active.get("ID"));
	}

	@Test
	void badRootsAreRefusedNamingTheFieldAndNothingChanges() throws Exception {
		String before = http.get("/v1/connect/ca/roots").body();
		KeyPair key = key("EC", 256);
		Instant now = Instant.now();
		X509Certificate good = root(key, trustDomainUri, now.minusSeconds(60), Duration.ofDays(30));
		X509Certificate expired = root(key, trustDomainUri, now.minus(Duration.ofDays(10)), Duration.ofDays(1));
		X509Certificate otherDomain = root(key, "spiffe://other.consul", now.minusSeconds(60), Duration.ofDays(30));
		KeyPair issuer = key("EC", 256);
		X509Certificate notCa = SvidProfile.leaf(root(issuer, trustDomainUri, now.minusSeconds(60), Duration.ofDays(1)),
				issuer, key.getPublic(), List.of(trustDomainUri), BigInteger.TEN, now.minusSeconds(60),
				now.plus(Duration.ofDays(1)), RANDOM);
		KeyPair weak = key("RSA", 1024);
		X509Certificate weakRoot = root(weak, trustDomainUri, now.minusSeconds(60), Duration.ofDays(30));
		Map<String, HttpResponse<String>> refusals = Map.of(
				"PrivateKey does not belong to RootCert", put(good, key("EC", 256)),
				"is not a CA certificate: its basic constraints must say cA=true", put(notCa, key),
				"' expired at ", put(expired, key),
				"must carry the URI SAN '" + trustDomainUri + "'", put(otherDomain, key),
				"PrivateKey is a RSA key of 1024 bits, which is not supported", put(weakRoot, weak),
				"RootCert cannot be read as a PEM certificate", http.put("/v1/connect/ca/configuration",
						"{\"Provider\":\"consul\",\"Config\":{\"RootCert\":\"nope\",\"PrivateKey\":"
								+ Json.MAPPER.writeValueAsString(Pem.encodePkcs8(key.getPrivate())) + "}}"),
				"must provide a private key when providing a root cert", http.put("/v1/connect/ca/configuration",
						"{\"Provider\":\"consul\",\"Config\":{\"RootCert\":"
								+ Json.MAPPER.writeValueAsString(Pem.encode(good)) + "}}"),
				"unknown CA provider \"acme\"", http.put("/v1/connect/ca/configuration", "{\"Provider\":\"acme\"}"));
		refusals.forEach((message, response) -> {
			assertThat(response.statusCode()).as(message).isEqualTo(500);
			assertThat(response.body()).contains(message);
		});
		assertThat(http.get("/v1/connect/ca/roots").body()).isEqualTo(before);
	}

	private static HttpResponse<String> put(X509Certificate root, KeyPair key) throws Exception {
		return http.put("/v1/connect/ca/configuration", "{\"Provider\":\"consul\",\"Config\":{\"RootCert\":"
				+ Json.MAPPER.writeValueAsString(Pem.encode(root)) + ",\"PrivateKey\":"
				+ Json.MAPPER.writeValueAsString(Pem.encodePkcs8(key.getPrivate())) + "}}");
	}

	private static JsonNode activeRoot() {
		JsonNode roots = AgentHttp.json(http.get("/v1/connect/ca/roots"));
		for (JsonNode root : roots.get("Roots")) {
			if (root.get("ID").asString().equals(roots.get("ActiveRootID").asString())) {
				return root;
			}
		}
		throw new AssertionError("no root has the ActiveRootID");
	}

	static X509Certificate root(KeyPair key, String uri, Instant notBefore, Duration ttl) {
		return SvidProfile.root("CN=Own Test Root " + RANDOM.nextInt(1000), key, uri,
				BigInteger.valueOf(RANDOM.nextLong() & Long.MAX_VALUE).shiftLeft(40), notBefore, notBefore.plus(ttl),
				RANDOM);
	}

	static KeyPair key(String algorithm, int bits) throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
		if ("EC".equals(algorithm)) {
			generator.initialize(new ECGenParameterSpec("secp" + bits + "r1"));
		}
		else {
			generator.initialize(bits);
		}
		return generator.generateKeyPair();
	}

}
