package dev.connect.agent.http;

import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.agent.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LeafAgeIntegrationTests {

	@Test
	void aLeafServedFromTheCacheCarriesItsAgeInSeconds() {
		MutableClock clock = new MutableClock(Instant.now());
		try (DevAgent agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0), clock, new SecureRandom())) {
			AgentHttp http = new AgentHttp(agent);
			HttpResponse<String> miss = http.get("/v1/agent/connect/ca/leaf/web");
			assertThat(miss.headers().firstValue("X-Cache")).hasValue("MISS");
			assertThat(miss.headers().firstValue("Age")).isEmpty();
			clock.advance(Duration.ofSeconds(90));
			HttpResponse<String> hit = http.get("/v1/agent/connect/ca/leaf/web");
			assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");
			assertThat(hit.headers().firstValue("Age")).hasValue("90");
			assertThat(AgentHttp.json(hit).get("SerialNumber")).isEqualTo(AgentHttp.json(miss).get("SerialNumber"));
		}
	}

}
