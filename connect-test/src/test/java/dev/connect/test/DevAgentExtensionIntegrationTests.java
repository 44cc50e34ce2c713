package dev.connect.test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@ExtendWith(DevAgentExtension.class)
class DevAgentExtensionIntegrationTests {

	@Test
	void aRunningAgentOnAFreePortWithIntentionsFromTheTest(TestMesh mesh) throws Exception {
		assertThat(mesh.agentUrl()).startsWith("http://127.0.0.1:").doesNotEndWith(":8500");
		assertThat(check(mesh, "web", "db")).contains("\"Allowed\": false");
		mesh.allow("web", "db");
		assertThat(check(mesh, "web", "db")).contains("\"Allowed\": true");
		mesh.deny("web", "db");
		assertThat(check(mesh, "web", "db")).contains("\"Allowed\": false");
	}

	@Test
	void wildcardsAreWrittenAndANameTheAgentRefusesFailsWithItsAnswer(TestMesh mesh) throws Exception {
		mesh.allow("*", "cache");
		assertThat(check(mesh, "web", "cache")).contains("\"Allowed\": true");
		assertThatIllegalStateException().isThrownBy(() -> mesh.allow("web*", "db"))
			.withMessageStartingWith("The agent refused the intention web* → db allow: ");
		assertThat(check(mesh, "web", "db")).as("nothing else changed").contains("\"Allowed\": false");
	}

	@Test
	void callersGetLeavesFromTheAgent(TestMesh mesh) {
		assertThat(mesh.caller("web").identity())
			.isEqualTo("spiffe://" + mesh.trustDomain() + "/ns/default/dc/dc1/svc/web");
	}

	private static String check(TestMesh mesh, String source, String destination) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(mesh.agentUrl() + "/v1/connect/intentions/check?source=" + source
					+ "&destination=" + destination)).build(), HttpResponse.BodyHandlers.ofString())
			.body();
	}

}
