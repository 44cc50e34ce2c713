package dev.connect.benchmarks;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

import dev.connect.agent.DevAgent;
import dev.connect.client.AgentCertificateSource;
import dev.connect.client.AgentClient;
import dev.connect.client.AgentClientSettings;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

/** What the load harnesses share: agent writes, a caller's identity, percentiles. */
final class BenchmarkSupport {

	private BenchmarkSupport() {
	}

	/** Sends a PUT to the agent and fails unless it answers 200. */
	static void put(DevAgent agent, String path, String body) {
		String answer = HttpClient.create()
			.put()
			.uri(agent.httpAddress() + path)
			.send(ByteBufFlux.fromString(Mono.just(body)))
			.responseSingle((response, content) -> content.asString().defaultIfEmpty("")
				.map((text) -> response.status().code() + " " + text))
			.block(Duration.ofSeconds(30));
		if (answer == null || !answer.startsWith("200")) {
			throw new IllegalStateException("PUT " + path + " answered " + answer);
		}
	}

	/** Creates or replaces the intention {@code source → destination} with the given action. */
	static void intention(DevAgent agent, String source, String destination, String action) {
		put(agent, "/v1/connect/intentions/exact?source=" + source + "&destination=" + destination,
				"{\"Action\":\"" + action + "\"}");
	}

	/** A live certificate source for a service, with its first leaf and roots already there; dispose it after use. */
	static AgentCertificateSource identity(DevAgent agent, String service) {
		AgentClient client = AgentClient.create(AgentClientSettings.defaults().withAddress(URI.create(agent.httpAddress())));
		AgentCertificateSource source = AgentCertificateSource.start(client, service, Clock.systemUTC());
		source.ready(Duration.ofSeconds(30)).block();
		return source;
	}

	/** The nearest-rank percentile of sorted values. */
	static long percentile(long[] sorted, double percentile) {
		int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

}
