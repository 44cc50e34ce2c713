package dev.connect.agent.http;

import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.identity.ServiceIdentity;
import dev.connect.pki.ColonHex;
import dev.connect.pki.KeyIdentifiers;
import dev.connect.pki.PeerRole;
import dev.connect.pki.Pem;
import dev.connect.pki.SvidValidator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectCaHandlerIntegrationTests {

	private static DevAgent agent;

	private static AgentHttp http;

	@BeforeAll
	static void startAgent() {
		agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0));
		http = new AgentHttp(agent);
	}

	@AfterAll
	static void stopAgent() {
		agent.close();
	}

	@Test
	void rootsAnswerHasConsulsFieldsAndHeaders() {
		HttpResponse<String> response = http.get("/v1/agent/connect/ca/roots");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(response.headers().firstValue("X-Cache")).hasValue("HIT");
		assertThat(response.headers().firstValue("X-Consul-KnownLeader")).hasValue("true");
		assertThat(response.headers().firstValue("X-Consul-LastContact")).hasValue("0");
		assertThat(response.headers().firstValue("X-Consul-Default-ACL-Policy")).as("the default intention policy")
			.hasValue("deny");
		assertThat(AgentHttp.index(response)).isPositive();
		assertThat(response.body()).startsWith("{\n    \"ActiveRootID\": ").endsWith("}\n");
		JsonNode roots = AgentHttp.json(response);
		assertThat(roots.propertyNames()).containsExactly("ActiveRootID", "TrustDomain", "Roots");
		assertThat(roots.get("TrustDomain").asString()).isEqualTo(agent.trustDomain().name());
		JsonNode root = activeRoot(roots);
		assertThat(root.propertyNames()).containsExactly("ID", "Name", "SerialNumber", "SigningKeyID",
				"ExternalTrustDomain", "NotBefore", "NotAfter", "RootCert", "IntermediateCerts", "Active",
				"PrivateKeyType", "PrivateKeyBits", "CreateIndex", "ModifyIndex");
		assertThat(root.get("ID").asString()).hasSize(59);
		assertThat(root.get("Name").asString()).isEqualTo("Consul CA Primary Cert");
		assertThat(root.get("SerialNumber").isIntegralNumber()).isTrue();
		assertThat(root.get("ExternalTrustDomain").asString())
			.isEqualTo(agent.trustDomain().name().replace(".consul", ""));
		assertThat(root.get("NotBefore").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
		assertThat(root.get("RootCert").asString()).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("\n");
		X509Certificate certificate = Pem.parseCertificates(root.get("RootCert").asString()).get(0);
		assertThat(root.get("SigningKeyID").asString())
			.isEqualTo(ColonHex.format(KeyIdentifiers.subjectKeyId(certificate).orElseThrow()));
		assertThat(root.get("PrivateKeyType").asString()).isIn("ec", "rsa");
		assertThat(root.get("CreateIndex").asLong()).isPositive();
		assertThat(root.has("SigningKey")).isFalse();
	}

	@Test
	void nonAgentRootsAreTheSameAndPemReturnsTheChain() {
		JsonNode agentRoots = AgentHttp.json(http.get("/v1/agent/connect/ca/roots"));
		HttpResponse<String> roots = http.get("/v1/connect/ca/roots");
		assertThat(roots.headers().firstValue("X-Cache")).isEmpty();
		assertThat(AgentHttp.json(roots)).isEqualTo(agentRoots);
		HttpResponse<String> pem = http.get("/v1/connect/ca/roots?pem=true");
		assertThat(pem.headers().firstValue("Content-Type")).hasValue("application/pem-certificate-chain");
		assertThat(Pem.parseCertificates(pem.body())).hasSizeGreaterThanOrEqualTo(agentRoots.get("Roots").size());
	}

	@Test
	void leafIsIssuedOnceThenServedFromCacheAndValidatesAgainstTheRoots() throws Exception {
		HttpResponse<String> first = http.get("/v1/agent/connect/ca/leaf/billing");
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(first.headers().firstValue("X-Cache")).hasValue("MISS");
		JsonNode leaf = AgentHttp.json(first);
		assertThat(leaf.propertyNames()).containsExactly("SerialNumber", "CertPEM", "PrivateKeyPEM", "Service",
				"ServiceURI", "ValidAfter", "ValidBefore", "CreateIndex", "ModifyIndex");
		assertThat(leaf.get("Service").asString()).isEqualTo("billing");
		ServiceIdentity identity = ServiceIdentity.parse(leaf.get("ServiceURI").asString());
		assertThat(identity).isEqualTo(ServiceIdentity.of(agent.trustDomain(), "dc1", "billing"));
		assertThat(leaf.get("CreateIndex").asLong()).isEqualTo(leaf.get("ModifyIndex").asLong())
			.isEqualTo(AgentHttp.index(first));
		assertThat(leaf.get("PrivateKeyPEM").asString()).startsWith("-----BEGIN EC PRIVATE KEY-----");
		List<X509Certificate> chain = Pem.parseCertificates(leaf.get("CertPEM").asString());
		assertThat(leaf.get("SerialNumber").asString()).isEqualTo(ColonHex.serial(chain.get(0).getSerialNumber()));
		KeyPair key = Pem.parseKeyPair(leaf.get("PrivateKeyPEM").asString());
		assertThat(key.getPublic()).isEqualTo(chain.get(0).getPublicKey());
		assertThat(validator().validate(chain, PeerRole.SERVER)).isEqualTo(identity.spiffeId());
		HttpResponse<String> second = http.get("/v1/agent/connect/ca/leaf/billing");
		assertThat(second.headers().firstValue("X-Cache")).hasValue("HIT");
		assertThat(AgentHttp.json(second).get("SerialNumber")).isEqualTo(leaf.get("SerialNumber"));
	}

	@Test
	void blockedLeafQueryReturnsTheSameLeafWhenTheWaitRunsOut() {
		HttpResponse<String> first = http.get("/v1/agent/connect/ca/leaf/waiting");
		long index = AgentHttp.index(first);
		long started = System.nanoTime();
		HttpResponse<String> blocked = http.get("/v1/agent/connect/ca/leaf/waiting?index=" + index + "&wait=300ms");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		assertThat(blocked.statusCode()).isEqualTo(200);
		assertThat(AgentHttp.index(blocked)).isEqualTo(index);
	}

	@Test
	void blockedRootsQueryWakesOnRotationAndReportsBothRoots() throws Exception {
		HttpResponse<String> before = http.get("/v1/agent/connect/ca/roots");
		long index = AgentHttp.index(before);
		CompletableFuture<HttpResponse<String>> blocked = CompletableFuture
			.supplyAsync(() -> http.get("/v1/agent/connect/ca/roots?index=" + index + "&wait=30s"));
		Thread.sleep(200);
		assertThat(blocked).isNotDone();
		KeyPair key = freshKey();
		HttpResponse<String> put = http.put("/v1/connect/ca/configuration",
				"{\"Provider\":\"consul\",\"Config\":{\"PrivateKey\":" + Json.MAPPER.writeValueAsString(
						Pem.encodeSec1(key.getPrivate(), key.getPublic())) + "}}");
		assertThat(put.statusCode()).isEqualTo(200);
		HttpResponse<String> after = blocked.get(10, java.util.concurrent.TimeUnit.SECONDS);
		assertThat(AgentHttp.index(after)).isGreaterThan(index);
		JsonNode roots = AgentHttp.json(after);
		JsonNode active = activeRoot(roots);
		assertThat(Pem.parseCertificates(active.get("RootCert").asString()).get(0).getPublicKey())
			.isEqualTo(key.getPublic());
		assertThat(active.get("IntermediateCerts")).hasSize(1);
		List<Boolean> flags = new ArrayList<>();
		roots.get("Roots").forEach((root) -> flags.add(root.get("Active").asBoolean()));
		assertThat(flags).containsOnlyOnce(true).contains(false);
		HttpResponse<String> leaf = http.get("/v1/agent/connect/ca/leaf/after-rotation");
		List<X509Certificate> chain = Pem.parseCertificates(AgentHttp.json(leaf).get("CertPEM").asString());
		assertThat(chain).hasSize(2);
		assertThat(validator().validate(chain, PeerRole.CLIENT).path()).endsWith("/svc/after-rotation");
	}

	@Test
	void configurationAnswersConsulsShapeAndRejectsBadSettingsWithoutChangingAnything() {
		HttpResponse<String> response = http.get("/v1/connect/ca/configuration");
		JsonNode config = AgentHttp.json(response);
		assertThat(config.get("Provider").asString()).isEqualTo("consul");
		assertThat(config.get("Config").get("LeafCertTTL").asString()).isEqualTo("72h");
		assertThat(config.get("Config").get("CSRMaxPerSecond").isIntegralNumber()).isTrue();
		assertThat(config.get("State").isNull()).isTrue();
		assertThat(response.body()).doesNotContain("PRIVATE KEY");
		HttpResponse<String> tooShort = http.put("/v1/connect/ca/configuration",
				"{\"Provider\":\"consul\",\"Config\":{\"LeafCertTTL\":\"30m\"}}");
		assertThat(tooShort.statusCode()).isEqualTo(500);
		assertThat(tooShort.body()).isEqualTo("leaf cert TTL must be greater or equal than 1h0m0s");
		HttpResponse<String> badJson = http.put("/v1/connect/ca/configuration", "{\"Provider\":");
		assertThat(badJson.statusCode()).isEqualTo(400);
		assertThat(badJson.body()).startsWith("Request decode failed: ");
		HttpResponse<String> vault = http.put("/v1/connect/ca/configuration", "{\"Provider\":\"vault\"}");
		assertThat(vault.statusCode()).isEqualTo(500);
		assertThat(AgentHttp.json(http.get("/v1/connect/ca/configuration"))).isEqualTo(config);
	}

	@Test
	void leafForANameThatIsNotAPathSegmentIsRefused() {
		HttpResponse<String> response = http.get("/v1/agent/connect/ca/leaf/web%20admin");
		assertThat(response.statusCode()).isEqualTo(500);
		assertThat(response.body())
			.isEqualTo("Service name 'web admin' must be a non-empty SPIFFE path segment: letters, digits, '.', '-' or '_'");
	}

	private static SvidValidator validator() {
		JsonNode roots = AgentHttp.json(http.get("/v1/agent/connect/ca/roots"));
		List<X509Certificate> certificates = new ArrayList<>();
		roots.get("Roots").forEach((root) -> certificates.addAll(Pem.parseCertificates(root.get("RootCert").asString())));
		return SvidValidator.of(certificates, Clock.systemUTC());
	}

	private static JsonNode activeRoot(JsonNode roots) {
		for (JsonNode root : roots.get("Roots")) {
			if (root.get("ID").asString().equals(roots.get("ActiveRootID").asString())) {
				assertThat(root.get("Active").asBoolean()).isTrue();
				return root;
			}
		}
		throw new AssertionError("no root has the ActiveRootID");
	}

	private static KeyPair freshKey() throws Exception {
		java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
		generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
		return generator.generateKeyPair();
	}

}
