package dev.connect.client;

import java.time.Duration;
import java.util.stream.Stream;

import dev.connect.api.AuthorizeRequest;
import dev.connect.api.AuthorizeResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Agent answers the mesh decides on are read strictly: a misbehaving agent (or a proxy in front of one) that
 * answers anything but the exact JSON types gets its answer refused, never read as "allowed" or as material.
 */
class AgentClientStrictAnswersIntegrationTests {

	private static final String AUTHORIZE = "/v1/agent/connect/authorize";

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final CannedAgent agent = new CannedAgent();

	@AfterEach
	void stop() {
		this.agent.close();
	}

	static Stream<Arguments> authorizeAnswersThatAreNotADecision() {
		return Stream.of(
				Arguments.of("a string", "{\"Authorized\":\"true\",\"Reason\":\"r\"}",
						"field 'Authorized' must be a JSON boolean, not a string"),
				Arguments.of("a number", "{\"Authorized\":1,\"Reason\":\"r\"}",
						"field 'Authorized' must be a JSON boolean, not a number"),
				Arguments.of("null", "{\"Authorized\":null,\"Reason\":\"r\"}",
						"field 'Authorized' must be a JSON boolean, not null"),
				Arguments.of("an array", "{\"Authorized\":[true],\"Reason\":\"r\"}",
						"field 'Authorized' must be a JSON boolean, not an array"),
				Arguments.of("missing", "{\"Reason\":\"r\"}", "field 'Authorized' is missing"),
				Arguments.of("a key given twice", "{\"Authorized\":false,\"Reason\":\"r\",\"Authorized\":true}",
						"not one well-formed JSON document with unique keys: Duplicate Object property \"Authorized\""),
				Arguments.of("a second document after it",
						"{\"Authorized\":false,\"Reason\":\"r\"} {\"Authorized\":true,\"Reason\":\"r\"}",
						"not one well-formed JSON document with unique keys"),
				Arguments.of("cut off", "{\"Authorized\":true,\"Rea", "not one well-formed JSON document with unique keys"),
				Arguments.of("a bare true", "true", "field '(the answer)' must be a JSON object, not a boolean"),
				Arguments.of("an empty body", "", "the answer is empty"),
				Arguments.of("a reason that is not a string", "{\"Authorized\":true,\"Reason\":7}",
						"field 'Reason' must be a JSON string, not a number"));
	}

	@ParameterizedTest(name = "Authorized as {0}")
	@MethodSource("authorizeAnswersThatAreNotADecision")
	void whenTheAuthorizeAnswerIsNotExactlyADecisionThenItIsRefused(String name, String body, String reason) {
		this.agent.answer(AUTHORIZE, 0, body);
		assertThatThrownBy(() -> authorize()).isInstanceOf(AgentException.class)
			.hasMessage("Unable to read the answer of the agent at " + this.agent.url() + " to POST " + AUTHORIZE
					+ ": " + reason);
	}

	@Test
	void whenTheAuthorizeAnswerIsExactThenUnknownFieldsAreIgnored() {
		this.agent.answer(AUTHORIZE, 0, "{\"Authorized\":true,\"Reason\":\"Matched L4 intention\",\"Added\":{\"In\":2}}");
		assertThat(authorize()).isEqualTo(new AuthorizeResult(true, "Matched L4 intention"));
	}

	static Stream<Arguments> materialAnswersMissingWhatTheMeshNeeds() {
		return Stream.of(
				Arguments.of("/v1/agent/connect/ca/roots", "{\"ActiveRootID\":\"a\",\"TrustDomain\":\"t.consul\"}",
						"field 'Roots' is missing"),
				Arguments.of("/v1/agent/connect/ca/roots",
						"{\"ActiveRootID\":\"a\",\"TrustDomain\":\"t.consul\",\"Roots\":[{\"ID\":\"a\",\"RootCert\":\"x\",\"Active\":\"yes\"}]}",
						"field 'Roots[0].Active' must be a JSON boolean, not a string"),
				Arguments.of("/v1/agent/connect/ca/roots",
						"{\"ActiveRootID\":\"a\",\"TrustDomain\":\"t.consul\",\"Roots\":[{\"ID\":\"a\",\"RootCert\":\"x\",\"Active\":true,\"SerialNumber\":1.5}]}",
						"the field at dev.connect.api.CaRoots[\"Roots\"]->java.util.ArrayList[0]->dev.connect.api.CaRoot[\"SerialNumber\"] has the wrong JSON type"),
				Arguments.of("/v1/health/connect/counting",
						"[{\"Node\":{\"Node\":\"n\",\"Address\":\"127.0.0.1\"},\"Service\":{\"ID\":\"c1\",\"Service\":\"counting\",\"Address\":\"\",\"Port\":8443},\"Checks\":[]}]",
						"field '[0].Node.Datacenter' is missing"),
				Arguments.of("/v1/health/connect/counting",
						"[{\"Node\":{\"Node\":\"n\",\"Address\":\"127.0.0.1\",\"Datacenter\":\"dc1\"},\"Service\":{\"ID\":\"c1\",\"Service\":\"counting\",\"Address\":\"\",\"Port\":\"8443\"},\"Checks\":[]}]",
						"field '[0].Service.Port' must be a JSON integer, not a string"),
				Arguments.of("/v1/connect/intentions/match",
						"{\"counting\":[{\"SourceName\":\"web\",\"DestinationName\":\"counting\",\"Precedence\":\"9\"}]}",
						"field 'counting[0].Precedence' must be a JSON integer, not a string"));
	}

	@ParameterizedTest(name = "{0}: {2}")
	@MethodSource("materialAnswersMissingWhatTheMeshNeeds")
	void whenAMaterialOrRoutingAnswerLacksARequiredFieldThenItIsRefused(String path, String body, String reason) {
		this.agent.answer(path, 3, body);
		AgentClient client = this.agent.client();
		var call = switch (path) {
			case "/v1/agent/connect/ca/roots" -> client.roots(0, TIMEOUT);
			case "/v1/health/connect/counting" -> client.healthConnect("counting", true, 0, TIMEOUT);
			default -> client.intentionsFor("counting", 0, TIMEOUT);
		};
		assertThatThrownBy(() -> call.block(TIMEOUT)).isInstanceOf(AgentException.class)
			.hasMessageEndingWith(": " + reason);
	}

	@Test
	void whenALeafAnswerIsRefusedThenTheMessageNeverShowsItsPrivateKey() {
		String key = "-----BEGIN EC PRIVATE KEY-----\\nTOP-SECRET-KEY-MATERIAL\\n-----END EC PRIVATE KEY-----\\n";
		this.agent.answer("/v1/agent/connect/ca/leaf/counting", 4,
				"{\"SerialNumber\":\"0a\",\"CertPEM\":\"x\",\"PrivateKeyPEM\":\"" + key
						+ "\",\"Service\":\"counting\",\"ServiceURI\":\"spiffe://t/ns/default/dc/dc1/svc/counting\","
						+ "\"ValidAfter\":\"2026-01-01T00:00:00Z\",\"ValidBefore\":\"2026-01-04T00:00:00Z\",\"CreateIndex\":\"4\"}",
				"{\"SerialNumber\":\"0a\",\"CertPEM\":\"x\",\"PrivateKeyPEM\":\"" + key + "\" \"Service\":1}");
		AgentClient client = this.agent.client();
		for (int i = 0; i < 2; i++) {
			assertThatThrownBy(() -> client.leaf("counting", 0, TIMEOUT).block(TIMEOUT))
				.isInstanceOf(AgentException.class)
				.satisfies((error) -> assertThat(error).hasStackTraceContaining("Unable to read the answer"))
				.satisfies((error) -> assertThat(stackTrace(error)).doesNotContain("TOP-SECRET"));
		}
	}

	private AuthorizeResult authorize() {
		return this.agent.client()
			.authorize(new AuthorizeRequest("counting", "spiffe://t.consul/ns/default/dc/dc1/svc/web", null))
			.block(TIMEOUT);
	}

	private static String stackTrace(Throwable error) {
		java.io.StringWriter out = new java.io.StringWriter();
		error.printStackTrace(new java.io.PrintWriter(out));
		return out.toString();
	}

}
