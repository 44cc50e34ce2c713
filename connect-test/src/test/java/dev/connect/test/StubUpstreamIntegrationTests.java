package dev.connect.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link StubUpstream} and {@link MeshTestClient} against each other and one dev agent, no Spring: each test uses
 * its own service names, since the agent and its intentions live for the whole class.
 */
@ExtendWith(DevAgentExtension.class)
class StubUpstreamIntegrationTests {

	@Test
	void aPostWithBodyAndHeadersIsAnsweredAndRecordedWithItsCaller(TestMesh mesh) {
		mesh.allow("web", "counting");
		try (StubUpstream counting = mesh.stub("counting")
			.respond("POST", "/count", 201, "{\"count\":3}", Map.of("X-Stub", "yes"))) {
			MeshTestClient web = mesh.caller("web");
			MeshTestClient.Response response = web.request("POST", "counting", counting.port(), "/count?by=2")
				.header("Content-Type", "application/json")
				.header("X-Request-Id", "42")
				.body("{\"by\":2}")
				.send();
			assertThat(response.status()).isEqualTo(201);
			assertThat(response.body()).isEqualTo("{\"count\":3}");
			assertThat(response.header("content-type")).isEqualTo("application/json");
			assertThat(response.header("X-STUB")).isEqualTo("yes");
			assertThat(response.headers()).containsEntry("Content-Length", List.of("11"));
			assertThat(response.server()).isEqualTo(counting.identity())
				.isEqualTo("spiffe://" + mesh.trustDomain() + "/ns/default/dc/dc1/svc/counting");
			assertThat(counting.requests()).singleElement().satisfies((request) -> {
				assertThat(request.caller()).isEqualTo(web.identity());
				assertThat(request.method()).isEqualTo("POST");
				assertThat(request.path()).isEqualTo("/count");
				assertThat(request.query()).isEqualTo("by=2");
				assertThat(request.header("x-request-id")).isEqualTo("42");
				assertThat(request.header("Content-Type")).isEqualTo("application/json");
				assertThat(request.body()).isEqualTo("{\"by\":2}");
				assertThat(request.status()).isEqualTo(201);
			});
		}
	}

	@Test
	void aCallerWithoutAnAllowingIntentionIsRefusedAsTheStarterRefusesIt(TestMesh mesh) {
		try (StubUpstream billing = mesh.stub("billing").respond("GET", "/invoices", 200, "[]")) {
			MeshTestClient.Response denied = mesh.caller("intruder").get("billing", billing.port(), "/invoices");
			assertThat(denied.status()).isEqualTo(403);
			assertThat(denied.header("Content-Type")).isEqualTo("application/problem+json");
			assertThat(denied.body()).contains("\"detail\":\"The caller is not allowed to call this service.\"");
			mesh.allow("accounts", "billing");
			MeshTestClient.Response allowed = mesh.caller("accounts").get("billing", billing.port(), "/invoices");
			assertThat(allowed.status()).isEqualTo(200);
			assertThat(allowed.body()).isEqualTo("[]");
			assertThat(allowed.header("Content-Type")).as("the default for a JSON-looking body")
				.isEqualTo("application/json");
			assertThat(billing.requests()).extracting(StubUpstream.ReceivedRequest::status).containsExactly(403, 200);
			assertThat(billing.requests().get(0).caller()).endsWith("/svc/intruder");
		}
	}

	@Test
	void aPathWithoutAnAnswerGets404NamingWhatToAdd(TestMesh mesh) {
		mesh.allow("web", "inventory");
		try (StubUpstream inventory = mesh.stub("inventory").respond("GET", "/items", 200, "none")) {
			MeshTestClient web = mesh.caller("web");
			assertThat(web.get("inventory", inventory.port(), "/items?page=2").header("Content-Type"))
				.isEqualTo("text/plain;charset=UTF-8");
			MeshTestClient.Response missing = web.request("DELETE", "inventory", inventory.port(), "/items").send();
			assertThat(missing.status()).isEqualTo(404);
			assertThat(missing.body()).isEqualTo("No stub answer for DELETE /items on 'inventory': add one with "
					+ "respond(\"DELETE\", \"/items\", status, body)");
			inventory.respond("DELETE", "/items", 204, "");
			assertThat(web.request("DELETE", "inventory", inventory.port(), "/items").send().status()).isEqualTo(204);
		}
	}

	@Test
	void theStubIsAPassingConnectNativeInstanceUntilItIsClosed(TestMesh mesh) throws Exception {
		StubUpstream catalog = mesh.stub("catalog");
		String registered = healthConnect(mesh, "catalog");
		assertThat(registered).contains("\"Port\": " + catalog.port()).contains("\"Native\": true")
			.contains("\"Status\": \"passing\"");
		catalog.close();
		assertThat(healthConnect(mesh, "catalog")).isEqualTo("[]");
		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), catalog.port()).close());
		catalog.close();
	}

	@Test
	void closingTheMeshClosesItsStubs() {
		StubUpstream orders;
		try (TestMesh own = TestMesh.start()) {
			orders = own.stub("orders");
		}
		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), orders.port()).close());
	}

	@Test
	void theClientRefusesAStubThatIsNotTheExpectedService(TestMesh mesh) {
		mesh.allow("*", "shipping");
		try (StubUpstream shipping = mesh.stub("shipping")) {
			assertThatThrownBy(() -> mesh.caller("web").get("payments", shipping.port(), "/"))
				.hasStackTraceContaining("Expected '/ns/default/dc/dc1/svc/payments' at 127.0.0.1:" + shipping.port()
						+ ", but the server presented '" + shipping.identity() + "'");
			assertThat(shipping.requests()).as("nothing reached the stub").isEmpty();
		}
	}

	@Test
	void aWebTestClientBoundToAMeshIdentityCallsTheStub(TestMesh mesh) {
		mesh.allow("web", "pricing");
		try (StubUpstream pricing = mesh.stub("pricing").respond("GET", "/price", 200, "{\"price\":7}")) {
			MeshWebTestClient.bindToService(mesh.caller("web"), "pricing", pricing.port())
				.build()
				.get()
				.uri("/price")
				.exchange()
				.expectStatus()
				.isOk()
				.expectHeader()
				.contentType("application/json")
				.expectBody(String.class)
				.isEqualTo("{\"price\":7}");
			assertThat(pricing.requests()).singleElement().extracting(StubUpstream.ReceivedRequest::caller)
				.isEqualTo("spiffe://" + mesh.trustDomain() + "/ns/default/dc/dc1/svc/web");
		}
	}

	@Test
	void malformedRequestsAndAnswersAreRefusedWithWhatIsAllowed(TestMesh mesh) {
		MeshTestClient web = mesh.caller("web");
		assertThatIllegalArgumentException().isThrownBy(() -> web.request("get", "counting", 1, "/"))
			.withMessage("Method 'get' must be an HTTP method in capitals, such as GET or POST");
		assertThatIllegalArgumentException().isThrownBy(() -> web.request("GET", "counting", 1, "count"))
			.withMessage("Path 'count' must start with '/'");
		try (StubUpstream stub = mesh.stub("ledger")) {
			assertThatIllegalArgumentException().isThrownBy(() -> stub.respond("GET", "/a?b=c", 200, ""))
				.withMessage("Path '/a?b=c' must have no query: the stub answers by path only");
			assertThatIllegalArgumentException().isThrownBy(() -> stub.respond("GET", "/a", 101, ""))
				.withMessage("Status 101 must be from 200 to 599");
		}
	}

	private static String healthConnect(TestMesh mesh, String service) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(mesh.agentUrl() + "/v1/health/connect/" + service + "?passing"))
				.build(), HttpResponse.BodyHandlers.ofString())
			.body()
			.strip();
	}

}
