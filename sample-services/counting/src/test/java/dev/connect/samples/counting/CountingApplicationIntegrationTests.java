package dev.connect.samples.counting;

import dev.connect.test.ConnectDevAgent;
import dev.connect.test.MeshTestClient;
import dev.connect.test.TestMesh;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** How an application tests itself in the mesh with connect-test: a dev agent, intentions, a caller identity. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.application.name=counting")
@ConnectDevAgent
class CountingApplicationIntegrationTests {

	@Autowired
	TestMesh mesh;

	@LocalServerPort
	int port;

	@Test
	void dashboardMayCountOnceAnIntentionAllowsIt() {
		MeshTestClient dashboard = this.mesh.caller("dashboard");
		assertThat(dashboard.get("counting", this.port, "/count").status()).isEqualTo(403);
		this.mesh.allow("dashboard", "counting");
		MeshTestClient.Response first = dashboard.get("counting", this.port, "/count");
		MeshTestClient.Response second = dashboard.get("counting", this.port, "/count");
		assertThat(first.status()).isEqualTo(200);
		assertThat(first.body()).contains("\"count\":1", "\"caller\":\"" + dashboard.identity() + "\"",
				"\"identity\":\"spiffe://" + this.mesh.trustDomain() + "/ns/default/dc/dc1/svc/counting\"");
		assertThat(second.body()).contains("\"count\":2");
	}

}
