package dev.connect.benchmarks;

import java.util.Arrays;
import java.util.Locale;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Authorize latency over loopback, a measurement of the {@code agent} part ({@link AgentBenchmarks}):
 * {@code POST /v1/agent/connect/authorize} with an allow intention, one keep-alive connection, sequential calls
 * after a warm-up, then as many at concurrency 8.
 */
final class AuthorizeLatency {

	private AuthorizeLatency() {
	}

	/** Per run: sequential p50 and p99 (µs) over one keep-alive connection, then req/s at concurrency 8. */
	static Result measure(AgentProcess agent, int requests, int runs) {
		HttpClient client = AgentBenchmarks.client(agent.address(), 16);
		Mono<String> call = authorizeCall(client);
		for (int i = 0; i < Math.min(5_000, requests); i++) {
			call.block();
		}
		double[][] figures = new double[3][runs];
		for (int run = 0; run < runs; run++) {
			long[] latencies = sequential(call, requests);
			long started = System.nanoTime();
			Flux.range(0, requests).flatMap((i) -> call, 8).blockLast();
			figures[0][run] = AgentBenchmarks.us(BenchmarkSupport.percentile(latencies, 50));
			figures[1][run] = AgentBenchmarks.us(BenchmarkSupport.percentile(latencies, 99));
			figures[2][run] = requests / ((System.nanoTime() - started) / 1e9);
			BenchmarkSuite.progress(String.format(Locale.ROOT, "agent: authorize run %d: p50 %.0f us, p99 %.0f us, %,.0f req/s at 8",
					run + 1, figures[0][run], figures[1][run], figures[2][run]));
		}
		return new Result(Spread.of(figures[0]), Spread.of(figures[1]), Spread.of(figures[2]));
	}

	/** Allows web → db and returns the call that asks for it with web's identity in the agent's trust domain. */
	private static Mono<String> authorizeCall(HttpClient client) {
		client.put().uri("/v1/connect/intentions/exact?source=web&destination=db")
			.send(AgentBenchmarks.body("{\"Action\":\"allow\"}"))
			.responseSingle((response, content) -> content.asString())
			.block();
		String td = client.get().uri("/v1/agent/connect/ca/roots")
			.responseSingle((response, content) -> content.asString())
			.map((roots) -> roots.replaceAll("(?s).*\"TrustDomain\": \"([^\"]+)\".*", "$1"))
			.block();
		String request = "{\"Target\":\"db\",\"ClientCertURI\":\"spiffe://" + td
				+ "/ns/default/dc/dc1/svc/web\",\"ClientCertSerial\":\"2c\"}";
		return client.post().uri("/v1/agent/connect/authorize").send(AgentBenchmarks.body(request))
			.responseSingle((response, content) -> content.asString());
	}

	/** Sorted latencies of sequential calls, each checked to be an allow. */
	private static long[] sequential(Mono<String> call, int requests) {
		long[] latencies = new long[requests];
		for (int i = 0; i < requests; i++) {
			long start = System.nanoTime();
			String answer = call.block();
			latencies[i] = System.nanoTime() - start;
			if (answer == null || !answer.contains("\"Authorized\": true")) {
				throw new IllegalStateException("Unexpected answer: " + answer);
			}
		}
		Arrays.sort(latencies);
		return latencies;
	}

	/**
	 * Authorize figures, per run.
	 * @param sequentialP50Micros the sequential median
	 * @param sequentialP99Micros the sequential 99th percentile
	 * @param concurrency8PerSecond requests per second at concurrency 8
	 */
	record Result(Spread sequentialP50Micros, Spread sequentialP99Micros, Spread concurrency8PerSecond) {
	}

}
