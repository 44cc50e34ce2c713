package dev.connect.authz.l7;

import dev.connect.authz.l7.L7Decision.Outcome;
import dev.connect.authz.l7.RequestNormalization.EscapedSlashes;
import dev.connect.authz.l7.RequestNormalization.UnderscoreHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class HeaderRuleTests {

	private static L7Decision decide(String header, TestRequest request, RequestNormalization normalization) {
		String entry = "{\"Sources\":[{\"Name\":\"web\",\"Permissions\":[{\"Action\":\"allow\",\"HTTP\":{\"Header\":["
				+ header + "]}}]}]}";
		return L7Policy.of(L7PolicyTests.json(entry), "http", false, normalization).decide("web", request);
	}

	private static Outcome decide(String header, TestRequest request) {
		return decide(header, request, RequestNormalization.DEFAULT).outcome();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			{"Name":"x-env","Exact":"prod"}                        | X-ENV    | prod       | ALLOW
			{"Name":"X-Env","Exact":"prod"}                        | x-env    | prod       | ALLOW
			{"Name":"x-env","Exact":"prod"}                        | x-env    | PROD       | DENY
			{"Name":"x-env","Exact":"prod","IgnoreCase":true}      | x-env    | PROD       | ALLOW
			{"Name":"x-env","Prefix":"pr"}                         | x-env    | prod       | ALLOW
			{"Name":"x-env","Suffix":"od"}                         | x-env    | prod       | ALLOW
			{"Name":"x-env","Contains":"ro"}                       | x-env    | prod       | ALLOW
			{"Name":"x-env","Regex":"p.*d"}                        | x-env    | prod       | ALLOW
			{"Name":"x-env","Regex":"p.*"}                         | x-env    | xprod      | DENY
			{"Name":"x-env","Present":true}                        | x-env    | ''         | ALLOW
			{"Name":"x-env","Exact":"prod","Invert":true}          | x-env    | dev        | ALLOW
			{"Name":"x-env","Exact":"prod","Invert":true}          | x-env    | prod       | DENY
			{"Name":"x-env","Exact":"prod","Invert":true}          | other    | prod       | DENY
			{"Name":"x-env","Present":true,"Invert":true}          | other    | prod       | ALLOW
			{"Name":"x-env","Present":true,"Invert":true}          | x-env    | prod       | DENY
			""")
	void headersMatchAsEnvoyMatchesThem(String header, String name, String value, Outcome outcome) {
		assertThat(decide(header, TestRequest.get("/").header(name, value))).isEqualTo(outcome);
	}

	@Test
	void whenAHeaderIsRepeatedThenItsValuesAreJoinedWithACommaBeforeMatching() {
		TestRequest request = TestRequest.get("/").header("x-env", "dev").header("X-Env", "prod");
		assertThat(decide("{\"Name\":\"x-env\",\"Exact\":\"prod\"}", request)).isEqualTo(Outcome.DENY);
		assertThat(decide("{\"Name\":\"x-env\",\"Exact\":\"dev,prod\"}", request)).isEqualTo(Outcome.ALLOW);
		assertThat(decide("{\"Name\":\"x-env\",\"Exact\":\"dev\",\"Invert\":true}", request)).isEqualTo(Outcome.ALLOW);
	}

	@Test
	void whenHeadersWithUnderscoresAreRejectedOrDroppedThenTheyAreRefusedOrIgnored() {
		TestRequest request = TestRequest.get("/").header("x_env", "prod");
		String rule = "{\"Name\":\"x_env\",\"Exact\":\"prod\"}";
		assertThat(decide(rule, request)).isEqualTo(Outcome.ALLOW);
		assertThat(decide(rule, request, normalization(UnderscoreHeaders.REJECT_REQUEST)))
			.isEqualTo(new L7Decision(Outcome.BAD_REQUEST, "the request has a header name with an underscore"));
		assertThat(decide(rule, request, normalization(UnderscoreHeaders.DROP_HEADER)).outcome())
			.isEqualTo(Outcome.DENY);
	}

	private static RequestNormalization normalization(UnderscoreHeaders underscores) {
		return new RequestNormalization(false, false, EscapedSlashes.DEFAULT, underscores);
	}

}
