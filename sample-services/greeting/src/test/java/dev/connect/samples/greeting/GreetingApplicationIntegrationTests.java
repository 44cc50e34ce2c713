package dev.connect.samples.greeting;

import dev.connect.test.ConnectDevAgent;
import dev.connect.test.MeshTestClient;
import dev.connect.test.StubUpstream;
import dev.connect.test.TestMesh;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Spring MVC sample in the mesh with connect-test: its callers need an intention, and it calls a stub
 * 'counting' only once an intention allows greeting → counting.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=greeting", "spring.main.web-application-type=servlet" })
@ConnectDevAgent
class GreetingApplicationIntegrationTests {

	@Autowired
	TestMesh mesh;

	@LocalServerPort
	int port;

	@Test
	void dashboardIsGreetedOnceIntentionsAllowBothHops() {
		StubUpstream counting = this.mesh.stub("counting")
			.respond("GET", "/count", 200, "{\"count\":7,\"instance\":\"counting on port 1\"}");
		MeshTestClient dashboard = this.mesh.caller("dashboard");
		assertThat(dashboard.get("greeting", this.port, "/greet").status()).as("default deny").isEqualTo(403);
		this.mesh.allow("dashboard", "greeting");
		assertThat(dashboard.get("greeting", this.port, "/greet").status()).as("greeting → counting denied")
			.isEqualTo(500);
		assertThat(counting.requests()).singleElement().satisfies((request) -> assertThat(request.caller())
			.endsWith("/svc/greeting"));
		this.mesh.allow("greeting", "counting");
		MeshTestClient.Response greeted = dashboard.get("greeting", this.port, "/greet");
		assertThat(greeted.status()).isEqualTo(200);
		assertThat(greeted.body()).contains("\"greeting\":\"Hello, dashboard!\"", "\"count\":7",
				"\"caller\":\"" + dashboard.identity() + "\"");
	}

}
