package dev.connect.agent.http;

import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.pki.PeerRole;
import dev.connect.pki.Pem;
import dev.connect.pki.SvidValidator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Switching the CA at run time through {@code PUT /v1/connect/ca/configuration}: built-in, then the operator's own
 * root, then the built-in CA again. Each switch publishes the new active root beside the old one, leaves issued after
 * it chain to the new root (and, through the cross-signed certificate, to the old one), and leaves issued before it
 * keep validating against the published roots.
 */
class CaProviderSwitchIntegrationTests {

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
	void switchingBuiltInToOwnRootToBuiltInRotatesWithCrossSigning() throws Exception {
		X509Certificate builtIn = activeRootCert();
		List<X509Certificate> firstLeaf = leaf("before-switch");
		String trustDomainUri = "spiffe://" + AgentHttp.json(http.get("/v1/connect/ca/roots")).get("TrustDomain").asString();
		KeyPair key = CaOwnRootIntegrationTests.key("EC", 384);
		X509Certificate own = CaOwnRootIntegrationTests.root(key, trustDomainUri, Instant.now().minusSeconds(60),
				Duration.ofDays(30));
		HttpResponse<String> toOwn = http.put("/v1/connect/ca/configuration",
				"{\"Provider\":\"consul\",\"Config\":{\"RootCert\":" + Json.MAPPER.writeValueAsString(Pem.encode(own))
						+ ",\"PrivateKey\":" + Json.MAPPER.writeValueAsString(Pem.encodePkcs8(key.getPrivate())) + "}}");
		assertThat(toOwn.statusCode()).as(toOwn.body()).isEqualTo(200);
		assertThat(activeRootCert()).isEqualTo(own);
		List<X509Certificate> ownLeaf = leaf("after-own-root");
		assertThat(ownLeaf).hasSize(2);
		assertThat(validatorOf(List.of(own)).validate(ownLeaf.subList(0, 1), PeerRole.CLIENT).path())
			.endsWith("/svc/after-own-root");
		assertThat(validatorOf(List.of(builtIn)).validate(ownLeaf, PeerRole.CLIENT).path())
			.as("the cross-signed certificate links the own root to the built-in root")
			.endsWith("/svc/after-own-root");
		assertThat(publishedRootsValidator().validate(firstLeaf, PeerRole.CLIENT).path()).endsWith("/svc/before-switch");

		HttpResponse<String> back = http.put("/v1/connect/ca/configuration",
				"{\"Provider\":\"consul\",\"Config\":{\"LeafCertTTL\":\"72h\"}}");
		assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
		X509Certificate generated = activeRootCert();
		assertThat(generated).isNotEqualTo(own).isNotEqualTo(builtIn);
		List<X509Certificate> lastLeaf = leaf("after-switch-back");
		assertThat(validatorOf(List.of(generated)).validate(lastLeaf.subList(0, 1), PeerRole.CLIENT).path())
			.endsWith("/svc/after-switch-back");
		assertThat(validatorOf(List.of(own)).validate(lastLeaf, PeerRole.CLIENT).path())
			.endsWith("/svc/after-switch-back");
		assertThat(publishedRootsValidator().validate(ownLeaf, PeerRole.CLIENT).path()).endsWith("/svc/after-own-root");
		assertThat(AgentHttp.json(http.get("/v1/connect/ca/roots")).get("Roots")).hasSize(3);
	}

	private static List<X509Certificate> leaf(String service) {
		HttpResponse<String> response = http.get("/v1/agent/connect/ca/leaf/" + service);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return Pem.parseCertificates(AgentHttp.json(response).get("CertPEM").asString());
	}

	private static X509Certificate activeRootCert() {
		JsonNode roots = AgentHttp.json(http.get("/v1/connect/ca/roots"));
		for (JsonNode root : roots.get("Roots")) {
			if (root.get("ID").asString().equals(roots.get("ActiveRootID").asString())) {
				return Pem.parseCertificates(root.get("RootCert").asString()).get(0);
			}
		}
		throw new AssertionError("no root has the ActiveRootID");
	}

	private static SvidValidator publishedRootsValidator() {
		List<X509Certificate> roots = new ArrayList<>();
		AgentHttp.json(http.get("/v1/connect/ca/roots"))
			.get("Roots")
			.forEach((root) -> roots.addAll(Pem.parseCertificates(root.get("RootCert").asString())));
		return validatorOf(roots);
	}

	private static SvidValidator validatorOf(List<X509Certificate> roots) {
		return SvidValidator.of(roots, Clock.systemUTC());
	}

}
