package dev.connect.ca;

import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.connect.pki.PeerRole;
import dev.connect.pki.Pem;
import dev.connect.pki.SvidValidator;
import dev.connect.test.SvidAuthority;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code vault} provider through the agent's HTTP API: configured by {@code PUT /v1/connect/ca/configuration},
 * leaves signed by Vault validate as built-in ones do, bad settings are refused naming the field, and switching
 * consul → own root → vault → consul keeps every issued leaf valid against the published roots.
 */
class VaultCaProviderIntegrationTests {

	private final SettableClock clock = new SettableClock();

	private final TestVault vault = TestVault.start(this.clock);

	private final CaAgent agent = CaAgent.start(this.clock);

	@AfterEach
	void stop() {
		this.agent.close();
		this.vault.close();
	}

	@Test
	void vaultLeafChainsThroughVaultsIntermediateToVaultsPublishedRootAndValidatesLikeABuiltInLeaf() throws Exception {
		String token = this.vault.createToken(Duration.ofHours(1));
		HttpResponse<String> put = this.agent.configure("vault", CaAgent.vaultConfig(this.vault, "Token", token));
		assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
		X509Certificate vaultRoot = Pem.parseCertificates(java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest.newBuilder(this.vault.address().resolve("/v1/connect-root/ca/pem")).build(),
					HttpResponse.BodyHandlers.ofString())
			.body()).get(0);
		assertThat(this.agent.activeRoot()).isEqualTo(vaultRoot);
		List<X509Certificate> chain = this.agent.leaf("web");
		X509Certificate intermediate = chain.get(1);
		chain.get(0).verify(intermediate.getPublicKey());
		intermediate.verify(vaultRoot.getPublicKey());
		assertThat(this.agent.validate(chain).toString()).endsWith("/ns/default/dc/dc1/svc/web");
		// Against Vault's root alone, as a peer that fetched only the new root would.
		assertThat(SvidValidator.of(List.of(vaultRoot), this.clock).validate(chain, PeerRole.CLIENT).toString())
			.endsWith("/svc/web");
		JsonNode config = this.agent.json(this.agent.get("/v1/connect/ca/configuration"));
		assertThat(config.get("Provider").asString()).isEqualTo("vault");
		assertThat(config.get("Config").get("Address").asString()).isEqualTo(this.vault.address().toString());
		assertThat(config.get("Config").has("Token")).isFalse();
		assertThat(config.toString()).doesNotContain(token);
	}

	@Test
	void badVaultSettingsAreRefusedWithConsulsStatusNamingTheFieldAndChangeNothing() {
		X509Certificate before = this.agent.activeRoot();
		String token = this.vault.createToken(Duration.ofHours(1));
		Map<String, Object> noAddress = CaAgent.vaultConfig(this.vault, "Token", token);
		noAddress.remove("Address");
		assertRefused(noAddress, "Address: must provide the address of the Vault server");
		Map<String, Object> both = CaAgent.vaultConfig(this.vault, "Token", token);
		both.put("AuthMethod", Map.of("Type", "approle"));
		assertRefused(both, "only one of Vault token or Vault auth method can be provided, but not both");
		Map<String, Object> samePaths = CaAgent.vaultConfig(this.vault, "Token", token);
		samePaths.put("IntermediatePKIPath", "connect-root/");
		assertRefused(samePaths, "RootPKIPath and IntermediatePKIPath are both 'connect-root/'");
		assertRefused(CaAgent.vaultConfig(this.vault, "Token", "hvs.not-a-token"),
				"Vault refused GET auth/token/lookup-self (status 403): permission denied");
		assertThat(this.agent.activeRoot()).isEqualTo(before);
		assertThat(this.agent.json(this.agent.get("/v1/connect/ca/configuration")).get("Provider").asString())
			.isEqualTo("consul");
	}

	@Test
	void switchingConsulToOwnRootToVaultToConsulKeepsEveryLeafValidAgainstThePublishedRoots() throws Exception {
		List<X509Certificate> consulLeaf = this.agent.leaf("web");
		String trustDomain = this.agent.roots().get("TrustDomain").asString();
		SvidAuthority own = SvidAuthority.builder().trustDomain(trustDomain).build();
		assertSwitched(this.agent.configure("consul", Map.of("RootCert", own.root().certificatePem(), "PrivateKey",
				own.root().privateKeyPem())), own.root().certificate());
		List<X509Certificate> ownLeaf = this.agent.leaf("web");
		HttpResponse<String> toVault = this.agent.configure("vault",
				CaAgent.vaultConfig(this.vault, "Token", this.vault.createToken(Duration.ofHours(1))));
		assertThat(toVault.statusCode()).as(toVault.body()).isEqualTo(200);
		List<X509Certificate> vaultLeaf = this.agent.leaf("web");
		// Leaf, Vault's intermediate, then Vault's root cross-signed by the own root.
		assertThat(vaultLeaf).hasSize(3);
		assertThat(SvidValidator.of(List.of(own.root().certificate()), this.clock).validate(vaultLeaf, PeerRole.SERVER)
			.toString()).endsWith("/svc/web");
		X509Certificate vaultRoot = this.agent.activeRoot();
		HttpResponse<String> toConsul = this.agent.configure("consul", Map.of());
		assertThat(toConsul.statusCode()).as(toConsul.body()).isEqualTo(200);
		assertThat(this.agent.activeRoot()).isNotIn(vaultRoot, own.root().certificate());
		List<X509Certificate> consulAgain = this.agent.leaf("web");
		// Vault cross-signed the new built-in root with root/sign-self-issued.
		assertThat(SvidValidator.of(List.of(vaultRoot), this.clock).validate(consulAgain, PeerRole.SERVER).toString())
			.endsWith("/svc/web");
		for (List<X509Certificate> chain : List.of(consulLeaf, ownLeaf, vaultLeaf, consulAgain)) {
			assertThat(this.agent.validate(chain).toString()).endsWith("/svc/web");
		}
		assertThat(this.agent.publishedRoots()).contains(own.root().certificate(), vaultRoot);
	}

	@Test
	void switchingBackToVaultReactivatesItsKeptRootOnceWithANewIntermediate() throws Exception {
		Map<String, Object> config = CaAgent.vaultConfig(this.vault, "Token", this.vault.createToken(Duration.ofHours(1)));
		assertThat(this.agent.configure("vault", config).statusCode()).isEqualTo(200);
		X509Certificate vaultRoot = this.agent.activeRoot();
		X509Certificate firstIntermediate = this.agent.leaf("web").get(1);
		assertThat(this.agent.configure("consul", Map.of()).statusCode()).isEqualTo(200);
		HttpResponse<String> back = this.agent.configure("vault", config);
		assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
		assertThat(this.agent.activeRoot()).isEqualTo(vaultRoot);
		assertThat(this.agent.publishedRoots().stream().filter(vaultRoot::equals)).hasSize(1);
		// A new leaf chains through the intermediate made for this configuration (the first one's mount was deleted).
		List<X509Certificate> chain = this.agent.leaf("api");
		assertThat(chain.get(1)).isNotEqualTo(firstIntermediate);
		assertThat(this.agent.validate(chain).toString()).endsWith("/svc/api");
	}

	@Test
	void aLongerLeafTtlReachesVaultsRoleSoNewLeavesLiveThatLong() {
		Map<String, Object> config = CaAgent.vaultConfig(this.vault, "Token", this.vault.createToken(Duration.ofHours(1)));
		assertThat(this.agent.configure("vault", config).statusCode()).isEqualTo(200);
		config.put("LeafCertTTL", "100h");
		HttpResponse<String> longer = this.agent.configure("vault", config);
		assertThat(longer.statusCode()).as(longer.body()).isEqualTo(200);
		X509Certificate leaf = this.agent.leaf("web").get(0);
		// Vault caps a leaf at the role's max_ttl, which the first configuration set to 72h.
		assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()))
			.isGreaterThan(Duration.ofHours(99));
	}

	@Test
	void namespaceIsSentWithEveryVaultCallAndThePkiNamespacesWithTheirMounts() {
		dev.connect.test.VaultPkiTestServer server = this.vault.testServer();
		Map<String, Object> config = CaAgent.vaultConfig(this.vault, "Token", server.createToken(Duration.ofHours(1), true));
		config.put("Namespace", "team");
		config.put("RootPKINamespace", "admin");
		HttpResponse<String> put = this.agent.configure("vault", config);
		assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
		this.agent.leaf("web");
		assertThat(server.requests()).contains("[team] GET auth/token/lookup-self",
				"[admin] POST connect-root/root/generate/internal", "[admin] POST connect-root/root/sign-intermediate",
				"[team] POST connect-intermediate/intermediate/set-signed", "[team] POST connect-intermediate/sign/leaf-cert");
		assertThat(server.requests()).allMatch((request) -> request.startsWith("["));
	}

	private void assertSwitched(HttpResponse<String> put, X509Certificate expectedRoot) {
		assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
		assertThat(this.agent.activeRoot()).isEqualTo(expectedRoot);
	}

	private void assertRefused(Map<String, Object> config, String message) {
		HttpResponse<String> put = this.agent.configure("vault", config);
		assertThat(put.statusCode()).isEqualTo(500);
		assertThat(put.body()).contains(message);
	}

}
