package dev.connect.authz.l7;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.api.ConfigEntry;
import dev.connect.api.Indexed;
import dev.connect.authz.l7.L7Decision.Outcome;
import dev.connect.client.AgentClient;
import dev.connect.client.AgentClientSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The L7 policy of a destination followed through the dev agent's config entry API (here because connect-core
 * cannot depend on the agent).
 */
class L7PolicySourceIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String RULES = """
			{"Kind":"service-intentions","Name":"counting","Sources":[{"Name":"dashboard","Permissions":[
			 {"Action":"deny","HTTP":{"PathPrefix":"/admin"}},
			 {"Action":"allow","HTTP":{"PathPrefix":"/count","Methods":["GET"]}}]}]}""";

	private DevAgent agent;

	private L7PolicySource source;

	@AfterEach
	void stop() {
		if (this.source != null) {
			this.source.close();
		}
		this.agent.close();
	}

	private AgentClient start(String defaultPolicy) {
		this.agent = DevAgent.start(
				DevAgentSettings.defaults().withHttpPort(0).withDefaultIntentionPolicy(defaultPolicy));
		return AgentClient.create(
				new AgentClientSettings(URI.create(this.agent.httpAddress()), null, Duration.ofSeconds(5), null));
	}

	private void write(String entry) {
		String answer = HttpClient.create()
			.put()
			.uri(this.agent.httpAddress() + "/v1/config")
			.send(ByteBufFlux.fromString(reactor.core.publisher.Mono.just(entry)))
			.responseSingle((response, body) -> body.asString().map((text) -> response.status().code() + " " + text.trim()))
			.block(TIMEOUT);
		assertThat(answer).isEqualTo("200 true");
	}

	@Test
	void whenAnEntryIsAbsentThenTheAnswerSaysSoAtAnIndexAndCarriesTheDefaultPolicy() {
		AgentClient client = start("deny");
		Indexed<ConfigEntry> absent = client.configEntry("service-intentions", "counting", 0, Duration.ZERO)
			.block(TIMEOUT);
		assertThat(absent.value().entry()).isEmpty();
		assertThat(absent.index()).isPositive();
		assertThat(absent.value().defaultAllow()).isFalse();
		write("{\"Kind\":\"service-defaults\",\"Name\":\"counting\",\"Protocol\":\"http\"}");
		assertThat(client.configEntry("service-defaults", "counting", 0, Duration.ZERO)
			.block(TIMEOUT)
			.value()
			.entry()
			.orElseThrow()
			.get("Protocol")
			.stringValue()).isEqualTo("http");
	}

	@Test
	void whenTheRulesChangeThenTheRunningPolicyFollowsWithinSeconds() {
		AgentClient client = start("deny");
		this.source = L7PolicySource.watch(client, "counting", Duration.ofSeconds(5));
		write("{\"Kind\":\"service-defaults\",\"Name\":\"counting\",\"Protocol\":\"http\"}");
		write(RULES);
		eventually(() -> assertThat(decide("GET", "/count")).isEqualTo(Outcome.ALLOW));
		assertThat(decide("GET", "/admin")).isEqualTo(Outcome.DENY);
		assertThat(decide("POST", "/count")).isEqualTo(Outcome.DENY);
		assertThat(decide("GET", "/count/../admin")).isEqualTo(Outcome.BAD_REQUEST);
		write(RULES.replace("\"Methods\":[\"GET\"]", "\"Methods\":[\"GET\",\"POST\"]"));
		eventually(() -> assertThat(decide("POST", "/count")).isEqualTo(Outcome.ALLOW));
		write("{\"Kind\":\"service-intentions\",\"Name\":\"counting\",\"Sources\":[{\"Name\":\"dashboard\",\"Action\":\"allow\"}]}");
		eventually(() -> assertThat(decide("GET", "/admin")).isEqualTo(Outcome.L4));
	}

	@Test
	void whenTheAgentAllowsByDefaultThenAnUnmatchedRequestIsAllowed() {
		AgentClient client = start("allow");
		this.source = L7PolicySource.watch(client, "counting", Duration.ofSeconds(5));
		write("{\"Kind\":\"service-defaults\",\"Name\":\"counting\",\"Protocol\":\"http\"}");
		write(RULES);
		eventually(() -> assertThat(decide("GET", "/other")).isEqualTo(Outcome.ALLOW));
		assertThat(decide("GET", "/admin/x")).isEqualTo(Outcome.DENY);
	}

	/** Retries an assertion until it holds or the timeout passes, then fails with its last error. */
	private static void eventually(Runnable assertion) {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (true) {
			try {
				assertion.run();
				return;
			}
			catch (AssertionError ex) {
				if (System.nanoTime() > deadline) {
					throw ex;
				}
				java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
			}
		}
	}

	private Outcome decide(String method, String path) {
		return this.source.current().decide("dashboard", new HttpRequestView() {

			@Override
			public String method() {
				return method;
			}

			@Override
			public String rawPath() {
				return path;
			}

			@Override
			public Set<String> headerNames() {
				return Set.of();
			}

			@Override
			public List<String> headerValues(String name) {
				return List.of();
			}

		}).outcome();
	}

}
