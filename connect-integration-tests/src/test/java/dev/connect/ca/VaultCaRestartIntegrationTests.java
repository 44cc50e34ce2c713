package dev.connect.ca;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import dev.connect.test.VaultPkiTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code vault} provider kept in the data directory: after a restart the agent signs through Vault again. */
class VaultCaRestartIntegrationTests {

	private final SettableClock clock = new SettableClock();

	private final TestVault vault = TestVault.start(this.clock);

	@TempDir
	Path dataDir;

	@AfterEach
	void stop() {
		this.vault.close();
	}

	@Test
	void restartedAgentResumesTheVaultProviderWithItsSettingsAndKeepsTheTokenOutOfItsAnswers() throws Exception {
		String token = this.vault.createToken(Duration.ofHours(1));
		X509Certificate vaultRoot;
		try (CaAgent agent = CaAgent.start(this.clock, this.dataDir)) {
			assertThat(agent.configure("vault", CaAgent.vaultConfig(this.vault, "Token", token)).statusCode())
				.isEqualTo(200);
			vaultRoot = agent.activeRoot();
			agent.leaf("web");
		}
		assertThat(CaAgent.JSON.readTree(Files.readString(this.dataDir.resolve("ca.json"))).get("provider").asString())
			.isEqualTo("vault");
		try (CaAgent agent = CaAgent.start(this.clock, this.dataDir)) {
			assertThat(agent.activeRoot()).isEqualTo(vaultRoot);
			JsonNode config = agent.json(agent.get("/v1/connect/ca/configuration"));
			assertThat(config.get("Provider").asString()).isEqualTo("vault");
			assertThat(config.toString()).doesNotContain(token);
			int signedBefore = signings();
			List<X509Certificate> chain = agent.leaf("api");
			assertThat(chain.get(1).getIssuerX500Principal()).isEqualTo(vaultRoot.getSubjectX500Principal());
			assertThat(agent.validate(chain).toString()).endsWith("/svc/api");
			if (signedBefore >= 0) {
				assertThat(signings()).isEqualTo(signedBefore + 1);
			}
		}
	}

	/** Signings seen by the test server, or -1 against a real vault binary. */
	private int signings() {
		if (!this.vault.isTestServer()) {
			return -1;
		}
		VaultPkiTestServer server = this.vault.testServer();
		return (int) server.requests().stream().filter((request) -> request.endsWith("sign/leaf-cert")).count();
	}

}
