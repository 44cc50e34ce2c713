package dev.connect.authz.l7;

import java.util.Optional;

import dev.connect.api.ConfigEntry;
import dev.connect.authz.l7.L7Decision.Outcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class L7PolicySourceTests {

	private static final String ENTRY = """
			{"Kind":"service-intentions","Name":"counting","Sources":[
			 {"Name":"dashboard","Permissions":[{"Action":"allow","HTTP":{"PathExact":"/count"}}]}]}""";

	private static ConfigEntry entry(String kind, String name, String json, String policy) {
		return new ConfigEntry(kind, name, Optional.of(L7PolicyTests.json(json)), policy);
	}

	private static ConfigEntry absent(String kind, String name) {
		return new ConfigEntry(kind, name, Optional.empty(), "allow");
	}

	private static L7Policy compile(ConfigEntry intentions, ConfigEntry serviceDefaults) {
		return L7PolicySource.compile("counting", intentions, serviceDefaults, absent("proxy-defaults", "global"),
				absent("mesh", "mesh"));
	}

	@Test
	void whenTheDestinationHasNoEntryThenTheAgentDecidesEveryCaller() {
		L7Policy policy = compile(absent("service-intentions", "counting"), absent("service-defaults", "counting"));
		assertThat(policy).isSameAs(L7Policy.NONE);
	}

	@Test
	void whenTheEntryAndAnHttpProtocolAreKnownThenPermissionsDecideWithTheReportedDefault() {
		ConfigEntry http = entry("service-defaults", "counting", "{\"Protocol\":\"http\"}", "deny");
		L7Policy allowing = compile(entry("service-intentions", "counting", ENTRY, "allow"), http);
		L7Policy denying = compile(entry("service-intentions", "counting", ENTRY, "deny"), http);
		assertThat(allowing.decide("dashboard", TestRequest.get("/count")).outcome()).isEqualTo(Outcome.ALLOW);
		assertThat(allowing.decide("dashboard", TestRequest.get("/other")).outcome()).isEqualTo(Outcome.ALLOW);
		assertThat(denying.decide("dashboard", TestRequest.get("/other")).outcome()).isEqualTo(Outcome.DENY);
		assertThat(compile(entry("service-intentions", "counting", ENTRY, ""), http)
			.decide("dashboard", TestRequest.get("/other"))
			.outcome()).isEqualTo(Outcome.DENY);
	}

	@Test
	void whenTheDestinationIsNotHttpThenItsL7SourcesDeny() {
		L7Policy policy = compile(entry("service-intentions", "counting", ENTRY, "allow"),
				absent("service-defaults", "counting"));
		assertThat(policy.decide("dashboard", TestRequest.get("/count")).outcome()).isEqualTo(Outcome.DENY);
	}

	@Test
	void whenAnEntryCannotBeReadThenNoRequestIsDecided() {
		L7Policy policy = compile(entry("service-intentions", "counting", "{\"Sources\":{}}", "allow"),
				absent("service-defaults", "counting"));
		assertThat(policy.decide("web", TestRequest.get("/")))
			.isEqualTo(new L7Decision(Outcome.NO_DECISION,
					"the L7 rules for 'counting' cannot be read: 'Sources' must be an array, not OBJECT"));
	}

}
