package dev.connect.ca;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import dev.connect.test.VaultPkiTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code vault} provider's token and reachability, against the Vault test server on a clock the test moves:
 * renewal before expiry, logging in again when renewal fails, and Vault unreachable then back.
 */
class VaultCaTokenIntegrationTests {

	private final SettableClock clock = new SettableClock();

	private final TestVault vault = TestVault.start(this.clock);

	private final CaAgent agent = CaAgent.start(this.clock);

	@AfterEach
	void stop() {
		this.agent.close();
		this.vault.close();
	}

	@Test
	void tokenIsRenewedOnceHalfItsTtlHasPassedSoItOutlivesItsFirstTtl() {
		VaultPkiTestServer server = this.vault.testServer();
		String token = server.createToken(Duration.ofHours(1), true);
		configure(CaAgent.vaultConfig(this.vault, "Token", token));
		this.clock.advance(Duration.ofMinutes(40));
		this.agent.leaf("web");
		assertThat(server.requests()).contains("POST auth/token/renew-self");
		this.clock.advance(Duration.ofMinutes(40));
		// 80 minutes after a one-hour token was issued: only the renewal keeps it valid.
		this.agent.leaf("api");
		assertThat(server.requests()).doesNotContain("PUT auth/approle/login");
	}

	@Test
	void whenRenewalFailsTheProviderLogsInAgainWithItsAuthMethod() {
		VaultPkiTestServer server = this.vault.testServer();
		server.addAppRole("approle", "connect-role", "connect-secret", Duration.ofHours(1));
		configure(CaAgent.vaultConfig(this.vault, "AuthMethod", Map.of("Type", "approle", "Params",
				Map.of("role_id", "connect-role", "secret_id", "connect-secret"))));
		assertThat(server.requests()).containsOnlyOnce("PUT auth/approle/login");
		// Past the token's TTL: renew-self is refused (403), so the provider logs in again and signs.
		this.clock.advance(Duration.ofMinutes(90));
		this.agent.leaf("web");
		assertThat(server.requests().stream().filter("PUT auth/approle/login"::equals)).hasSize(2);
		assertThat(server.requests()).contains("POST auth/token/renew-self");
	}

	@Test
	void expiredTokenWithoutAuthMethodFailsSigningWithVaultsMessageAndThePath() {
		VaultPkiTestServer server = this.vault.testServer();
		String token = server.createToken(Duration.ofHours(1), true);
		configure(CaAgent.vaultConfig(this.vault, "Token", token));
		server.expireNow(token);
		HttpResponse<String> leaf = this.agent.get("/v1/agent/connect/ca/leaf/web");
		assertThat(leaf.statusCode()).isEqualTo(500);
		assertThat(leaf.body()).contains("Vault refused POST connect-intermediate/sign/leaf-cert (status 403): "
				+ "permission denied");
	}

	@Test
	void whileVaultIsUnreachableCachedLeavesAreServedAndSigningResumesOnceItIsBack() {
		VaultPkiTestServer server = this.vault.testServer();
		configure(CaAgent.vaultConfig(this.vault, "Token", server.createToken(Duration.ofHours(24), true)));
		String serial = this.agent.json(this.agent.get("/v1/agent/connect/ca/leaf/web")).get("SerialNumber").asString();
		server.stopAnswering();
		assertThat(this.agent.json(this.agent.get("/v1/agent/connect/ca/leaf/web")).get("SerialNumber").asString())
			.isEqualTo(serial);
		HttpResponse<String> unreachable = this.agent.get("/v1/agent/connect/ca/leaf/api");
		assertThat(unreachable.statusCode()).isEqualTo(500);
		assertThat(unreachable.body()).contains("Unable to reach Vault at " + this.vault.address());
		// Backing off: the next attempt fails fast without calling Vault.
		HttpResponse<String> backingOff = this.agent.get("/v1/agent/connect/ca/leaf/api");
		assertThat(backingOff.body()).contains("could not be reached").contains("retrying after");
		server.answerAgain();
		this.clock.advance(Duration.ofSeconds(5));
		assertThat(this.agent.leaf("api")).hasSize(3);
	}

	private void configure(Map<String, Object> config) {
		HttpResponse<String> put = this.agent.configure("vault", config);
		assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
	}

}
