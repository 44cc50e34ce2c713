package dev.connect.agent;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An agent restarted without its data never hands out an index its clients have already seen, so a client blocking
 * on the old agent's last index gets the new agent's state at once instead of waiting on a number that now means
 * something else.
 */
class DevAgentRestartIntegrationTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void anAgentRestartedInMemoryOnTheSamePortStartsAboveEveryIndexTheFirstHandedOut() throws Exception {
		long firstIndex;
		int port;
		try (DevAgent first = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0))) {
			port = URI.create(first.httpAddress()).getPort();
			for (int i = 0; i < 5; i++) {
				put(first.httpAddress(), "/v1/connect/intentions/exact?source=web" + i + "&destination=db",
						"{\"Action\":\"allow\"}");
			}
			firstIndex = index(first.httpAddress() + "/v1/agent/connect/ca/roots");
			assertThat(index(first.httpAddress() + "/v1/connect/intentions")).isGreaterThan(firstIndex);
			firstIndex = index(first.httpAddress() + "/v1/connect/intentions");
		}
		try (DevAgent second = DevAgent.start(DevAgentSettings.defaults().withHttpPort(port))) {
			long secondIndex = index(second.httpAddress() + "/v1/agent/connect/ca/roots");
			assertThat(secondIndex).isGreaterThan(firstIndex);
			HttpResponse<String> blocked = this.http.send(HttpRequest
				.newBuilder(URI.create(second.httpAddress() + "/v1/agent/connect/ca/roots?index=" + firstIndex + "&wait=30s"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(blocked.statusCode()).isEqualTo(200);
			assertThat(Long.parseLong(blocked.headers().firstValue("X-Consul-Index").orElseThrow()))
				.as("answered at once with the new agent's index").isEqualTo(secondIndex);
		}
	}

	@Test
	void theFirstIndexIsTheClocksMicrosecondsOrTheStoredIndexWhicheverIsLarger() {
		Clock clock = Clock.fixed(Instant.parse("2026-12-05T00:00:00Z"), ZoneOffset.UTC);
		long micros = 1_796_428_800_000_000L;
		DataDir.Contents fresh = DataDir.Contents.EMPTY;
		assertThat(DevAgent.firstIndex(fresh, clock)).isEqualTo(micros);
		assertThat(DevAgent.firstIndex(fresh, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))).isZero();
	}

	private long index(String url) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(url)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return Long.parseLong(response.headers().firstValue("X-Consul-Index").orElseThrow());
	}

	private void put(String agent, String path, String body) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(agent + path))
			.PUT(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
	}

}
