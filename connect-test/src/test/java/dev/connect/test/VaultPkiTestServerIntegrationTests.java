package dev.connect.test;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class VaultPkiTestServerIntegrationTests {

	private final VaultPkiTestServer vault = VaultPkiTestServer.start();

	private final HttpClient http = HttpClient.newHttpClient();

	@AfterEach
	void stop() {
		this.vault.close();
	}

	@Test
	void unmountedPathAnswers404WithVaultsErrorShape() throws Exception {
		HttpResponse<String> response = call("GET", "connect-int/ca/pem", this.vault.rootToken(), null, null);
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.body())
			.isEqualTo("{\"errors\":[\"no handler for route \\\"connect-int/ca/pem\\\". route entry not found.\"]}");
	}

	@Test
	void missingOrExpiredTokenIsRefusedWith403() throws Exception {
		assertThat(call("GET", "auth/token/lookup-self", null, null, null).statusCode()).isEqualTo(403);
		String token = this.vault.createToken(Duration.ofHours(1), false);
		assertThat(call("POST", "auth/token/renew-self", token, "{}", null).body())
			.isEqualTo("{\"errors\":[\"lease is not renewable\"]}");
		this.vault.expireNow(token);
		assertThat(call("GET", "auth/token/lookup-self", token, null, null).body())
			.isEqualTo("{\"errors\":[\"permission denied\"]}");
	}

	@Test
	void mountsAreKeptPerNamespaceAndAMountTwiceIsRefused() throws Exception {
		String body = "{\"type\":\"pki\",\"config\":{\"max_lease_ttl\":\"8760h\"}}";
		assertThat(call("POST", "sys/mounts/pki", this.vault.rootToken(), body, "team-a").statusCode()).isEqualTo(204);
		assertThat(call("GET", "pki/ca/pem", this.vault.rootToken(), null, "team-a").statusCode()).isEqualTo(200);
		assertThat(call("GET", "pki/ca/pem", this.vault.rootToken(), null, null).statusCode()).isEqualTo(404);
		assertThat(call("POST", "sys/mounts/pki", this.vault.rootToken(), body, "team-a").body())
			.isEqualTo("{\"errors\":[\"path is already in use at pki/\"]}");
		assertThat(this.vault.requests()).contains("[team-a] POST sys/mounts/pki", "GET pki/ca/pem");
	}

	@Test
	void signingWithAnUnknownRoleIsRefusedWith400() throws Exception {
		call("POST", "sys/mounts/pki", this.vault.rootToken(), "{\"type\":\"pki\"}", null);
		assertThat(call("POST", "pki/sign/leaf-cert", this.vault.rootToken(), "{\"csr\":\"x\"}", null).body())
			.isEqualTo("{\"errors\":[\"unknown role: leaf-cert\"]}");
	}

	@Test
	void whileNotAnsweringConnectionsCloseWithoutAnAnswerAndAnswerAgainLater() throws Exception {
		this.vault.stopAnswering();
		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> call("GET", "auth/token/lookup-self", this.vault.rootToken(), null, null));
		this.vault.answerAgain();
		assertThat(call("GET", "auth/token/lookup-self", this.vault.rootToken(), null, null).statusCode())
			.isEqualTo(200);
	}

	private HttpResponse<String> call(String method, String path, String token, String body, String namespace)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.vault.address().resolve("/v1/" + path))
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body)
					: HttpRequest.BodyPublishers.noBody());
		if (token != null) {
			request.header("X-Vault-Token", token);
		}
		if (namespace != null) {
			request.header("X-Vault-Namespace", namespace);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
