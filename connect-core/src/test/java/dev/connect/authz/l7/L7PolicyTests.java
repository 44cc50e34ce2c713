package dev.connect.authz.l7;

import dev.connect.authz.l7.L7Decision.Outcome;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class L7PolicyTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String COUNTING = """
			{"Kind":"service-intentions","Name":"counting","Sources":[
			 {"Name":"dashboard","Permissions":[
			   {"Action":"deny","HTTP":{"PathPrefix":"/admin"}},
			   {"Action":"allow","HTTP":{"PathExact":"/count","Methods":["GET","HEAD"]}},
			   {"Action":"allow","HTTP":{"PathRegex":"/v2/[a-z]+","Header":[{"Name":"X-Env","Exact":"prod","IgnoreCase":true}]}}]},
			 {"Name":"web","Action":"allow"},
			 {"Name":"*","Permissions":[{"Action":"allow","HTTP":{"PathPrefix":"/health"}}]},
			 {"Name":"dashboard","Peer":"other-cluster","Action":"allow"}]}
			""";

	static JsonNode json(String text) {
		return JSON.readTree(text);
	}

	static L7Policy policy(String entry, @Nullable Boolean defaultAllow) {
		return L7Policy.of(json(entry), "http", defaultAllow, RequestNormalization.DEFAULT);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			GET    | /count          | ALLOW
			HEAD   | /count          | ALLOW
			POST   | /count          | DENY
			GET    | /count/         | DENY
			GET    | /counting       | DENY
			GET    | /admin          | DENY
			GET    | /admin/users    | DENY
			GET    | /%61dmin        | DENY
			GET    | /ADMIN          | DENY
			GET    | /admin%2Fusers  | BAD_REQUEST
			GET    | /admin;a=b      | BAD_REQUEST
			GET    | /count/../admin | BAD_REQUEST
			GET    | //admin         | BAD_REQUEST
			GET    | /admin%5c       | BAD_REQUEST
			""")
	void whenCallerHasAnL7SourceThenTheFirstMatchingPermissionDecidesElseTheDefaultDenies(String method, String path,
			Outcome outcome) {
		L7Decision decision = policy(COUNTING, false).decide("dashboard", TestRequest.of(method, path));
		assertThat(decision.outcome()).isEqualTo(outcome);
	}

	@Test
	void whenNoPermissionMatchesThenTheDefaultPolicyAppliesNotALowerPrecedenceSource() {
		assertThat(policy(COUNTING, true).decide("dashboard", TestRequest.get("/other")).outcome())
			.isEqualTo(Outcome.ALLOW);
		assertThat(policy(COUNTING, false).decide("dashboard", TestRequest.get("/health")).outcome())
			.isEqualTo(Outcome.DENY);
		assertThat(policy(COUNTING, null).decide("dashboard", TestRequest.get("/other")))
			.isEqualTo(new L7Decision(Outcome.DENY, "source 'dashboard': no permission matched; default unknown, so deny"));
	}

	@Test
	void whenCallerHasAnL4SourceOrNoneThenTheAgentDecides() {
		L7Policy policy = policy(COUNTING, false);
		assertThat(policy.decide("web", TestRequest.get("/admin")).outcome()).isEqualTo(Outcome.L4);
		assertThat(L7Policy.NONE.decide("dashboard", TestRequest.get("/admin")).outcome()).isEqualTo(Outcome.L4);
		assertThat(policy(COUNTING.replace("\"Name\":\"*\"", "\"Name\":\"other\""), false)
			.decide("billing", TestRequest.get("/admin"))
			.outcome()).isEqualTo(Outcome.L4);
	}

	@Test
	void whenCallerMatchesOnlyTheWildcardThenTheWildcardSourceDecides() {
		L7Policy policy = policy(COUNTING, false);
		assertThat(policy.decide("billing", TestRequest.get("/health/live")).outcome()).isEqualTo(Outcome.ALLOW);
		assertThat(policy.decide("billing", TestRequest.get("/count")).outcome()).isEqualTo(Outcome.DENY);
	}

	@Test
	void whenASourceIsQualifiedForAnotherPeerPartitionOrNamespaceThenItIsNeverTheLocalCaller() {
		for (String qualifier : new String[] { "\"Peer\":\"other\"", "\"Partition\":\"part1\"",
				"\"Namespace\":\"team\"", "\"SamenessGroup\":\"g\"" }) {
			String entry = "{\"Sources\":[{\"Name\":\"dashboard\"," + qualifier
					+ ",\"Permissions\":[{\"Action\":\"allow\",\"HTTP\":{\"PathPrefix\":\"/\"}}]}]}";
			assertThat(policy(entry, false).decide("dashboard", TestRequest.get("/count")).outcome())
				.as(qualifier)
				.isEqualTo(Outcome.L4);
		}
	}

	@Test
	void whenADenyOnlyL7SourceIsUnderDefaultDenyThenOnlyTheDefaultAllowsAndNothingFailsOpen() {
		String denyOnly = """
				{"Sources":[{"Name":"web","Permissions":[{"Action":"deny","HTTP":{"PathPrefix":"/admin"}}]}]}""";
		assertThat(policy(denyOnly, false).decide("web", TestRequest.get("/count")).outcome()).isEqualTo(Outcome.DENY);
		assertThat(policy(denyOnly, false).decide("web", TestRequest.get("/admin")).outcome()).isEqualTo(Outcome.DENY);
		assertThat(policy(denyOnly, true).decide("web", TestRequest.get("/count")).outcome()).isEqualTo(Outcome.ALLOW);
		assertThat(policy(denyOnly, true).decide("web", TestRequest.get("/admin")).outcome()).isEqualTo(Outcome.DENY);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			{"Action":"allow","HTTP":{"PathPrefix":"/"},"JWT":{"Providers":[{"Name":"okta"}]}}  | source 'web' denies everything: permission 1 requires a JWT, which this version does not verify
			{"Action":"allow","HTTP":{"PathPrefix":"/","Bogus":1}}                              | source 'web' denies everything: permission 1's HTTP has the field 'Bogus', which this version does not enforce
			{"Action":"allow","HTTP":{"PathPrefix":"/"},"Bogus":1}                              | source 'web' denies everything: permission 1 has the field 'Bogus', which this version does not enforce
			{"Action":"allow","HTTP":{"Header":[{"Name":"a","Present":true,"Range":{}}]}}      | source 'web' denies everything: a Header matcher has the field 'Range', which this version does not enforce
			{"Action":"allow","HTTP":{}}                                                        | source 'web' denies everything: permission 1 matches nothing in its HTTP match
			{"Action":"allow","HTTP":{"PathExact":"/a","PathPrefix":"/"}}                       | source 'web' denies everything: permission 1 has more than one path match
			{"Action":"allow"}                                                                  | source 'web' denies everything: permission 1 has no HTTP match
			""")
	void whenAPermissionHasAPartThisVersionCannotEnforceThenItsSourceDeniesEverything(String permission,
			String reason) {
		String entry = "{\"Sources\":[{\"Name\":\"web\",\"Permissions\":[" + permission + "]}]}";
		assertThat(policy(entry, true).decide("web", TestRequest.get("/")))
			.isEqualTo(new L7Decision(Outcome.DENY, reason));
	}

	@Test
	void whenTheEntryRequiresAJwtThenNoRequestIsDecided() {
		L7Policy policy = policy("{\"JWT\":{\"Providers\":[{\"Name\":\"okta\"}]},\"Sources\":[]}", true);
		assertThat(policy.decide("web", TestRequest.get("/")).outcome()).isEqualTo(Outcome.NO_DECISION);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			{"Sources":{}}                                                   | 'Sources' must be an array, not OBJECT
			{"Sources":[{"Action":"allow"}]}                                 | a source has no Name
			{"Sources":[{"Name":7}]}                                         | 'Name' must be a string, not NUMBER
			{"Sources":[{"Name":"web","Permissions":[{"Action":"maybe","HTTP":{"PathPrefix":"/"}}]}]} | permission 1 has the Action 'maybe'; allowed: allow, deny
			{"Sources":[{"Name":"web","Permissions":[{"Action":"allow","HTTP":{"PathRegex":"("}}]}]} | the PathRegex '(' does not compile
			{"Sources":[{"Name":"web","Permissions":[{"Action":"allow","HTTP":{"Methods":"GET"}}]}]} | 'Methods' must be an array, not STRING
			[]                                                               | the service-intentions entry must be an object, not ARRAY
			""")
	void whenTheEntryIsMalformedThenItIsRefusedWithTheFieldNamed(String entry, String message) {
		assertThatThrownBy(() -> policy(entry, true)).isInstanceOf(MalformedEntryException.class).hasMessage(message);
	}

	@ParameterizedTest
	@CsvSource({ "tcp", "''", "TCP" })
	void whenTheProtocolIsNotHttpThenAnL7SourceDenies(String protocol) {
		L7Policy policy = L7Policy.of(json(COUNTING), protocol, true, RequestNormalization.DEFAULT);
		assertThat(policy.decide("dashboard", TestRequest.get("/count")).outcome()).isEqualTo(Outcome.DENY);
	}

	@Test
	void protocolComesFromServiceDefaultsThenProxyDefaultsThenTcp() {
		JsonNode serviceDefaults = json("{\"Kind\":\"service-defaults\",\"Protocol\":\"HTTP\"}");
		JsonNode proxyDefaults = json("{\"Kind\":\"proxy-defaults\",\"Config\":{\"protocol\":\"grpc\"}}");
		assertThat(L7Policy.protocolOf(serviceDefaults, proxyDefaults)).isEqualTo("http");
		assertThat(L7Policy.protocolOf(json("{}"), proxyDefaults)).isEqualTo("grpc");
		assertThat(L7Policy.protocolOf(null, null)).isEqualTo("tcp");
	}

	@Test
	void refusingPolicyDecidesNothing() {
		assertThat(L7Policy.refusing("the entry could not be read").decide("web", TestRequest.get("/")))
			.isEqualTo(new L7Decision(Outcome.NO_DECISION, "the entry could not be read"));
	}

}
