package dev.connect.benchmarks;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.client.AgentCertificateSource;
import dev.connect.tls.MeshHttpClients;
import dev.connect.tls.UpstreamAddressBook;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Intention propagation: the time from writing {@code dashboard → counting deny} to the agent until the first 403,
 * on a connection that was already open (kept alive) and on a new connection, repeated over many allow/deny flips.
 * The counting app (with the starter) runs in its own JVM; the dev agent and the probing client run here. Each probe
 * is one request; the next is sent as soon as the previous answered, so the resolution is one round trip
 * (~0.5 ms).
 * <pre>
 * java -Xms512m -Xmx512m -cp benchmarks/target/benchmarks.jar dev.connect.benchmarks.IntentionPropagationBenchmark [--flips=30]
 * </pre>
 */
public final class IntentionPropagationBenchmark {

	private IntentionPropagationBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int flips = 30;
		for (String arg : args) {
			if (arg.startsWith("--flips=")) {
				flips = Integer.parseInt(arg.substring("--flips=".length()));
			}
			else {
				throw new IllegalArgumentException("Argument '" + arg + "' must be --flips=<n>");
			}
		}
		try (DevAgent agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0));
				CountingServerProcess server = CountingServerProcess.start(agent.httpAddress(), "mtls-boringssl")) {
			AgentCertificateSource dashboard = BenchmarkSupport.identity(agent, "dashboard");
			UpstreamAddressBook upstreams = new UpstreamAddressBook();
			upstreams.expect("127.0.0.1", server.port(), "counting");
			ConnectionProvider one = ConnectionProvider.builder("kept-alive").maxConnections(1).build();
			HttpClient keptAlive = MeshHttpClients.secure(HttpClient.create(one), dashboard, upstreams);
			HttpClient fresh = MeshHttpClients.secure(HttpClient.newConnection(), dashboard, upstreams);
			String url = "https://127.0.0.1:" + server.port() + "/count";
			long[] open = new long[flips];
			long[] fresher = new long[flips];
			for (int flip = -3; flip < flips; flip++) {
				BenchmarkSupport.intention(agent, "dashboard", "counting", "allow");
				awaitStatus(keptAlive, url, 200);
				awaitStatus(fresh, url, 200);
				Thread.sleep(200);
				// Open connection: the same pooled connection probes until the first 403.
				long start = System.nanoTime();
				BenchmarkSupport.intention(agent, "dashboard", "counting", "deny");
				long keptAliveNanos = awaitStatus(keptAlive, url, 403) - start;
				BenchmarkSupport.intention(agent, "dashboard", "counting", "allow");
				awaitStatus(keptAlive, url, 200);
				awaitStatus(fresh, url, 200);
				Thread.sleep(200);
				// New connection per probe (full handshake each time).
				start = System.nanoTime();
				BenchmarkSupport.intention(agent, "dashboard", "counting", "deny");
				long freshNanos = awaitStatus(fresh, url, 403) - start;
				if (flip >= 0) {
					open[flip] = keptAliveNanos;
					fresher[flip] = freshNanos;
				}
			}
			dashboard.dispose();
			one.disposeLater().block();
			Map<String, long[]> results = new LinkedHashMap<>();
			results.put("kept-alive connection", open);
			results.put("new connection", fresher);
			System.out.printf(Locale.ROOT, "intention deny -> first 403, %d flips (warm-up flips excluded)%n", flips);
			System.out.println("| Connection | p50 | p99 | max |");
			System.out.println("|---|---|---|---|");
			for (Map.Entry<String, long[]> entry : results.entrySet()) {
				long[] sorted = entry.getValue().clone();
				Arrays.sort(sorted);
				System.out.printf(Locale.ROOT, "| %s | %.1f ms | %.1f ms | %.1f ms |%n", entry.getKey(),
						BenchmarkSupport.percentile(sorted, 50) / 1e6, BenchmarkSupport.percentile(sorted, 99) / 1e6, sorted[sorted.length - 1] / 1e6);
			}
		}
	}

	/** Probes until the status is seen; returns when (nanoTime) it was seen. */
	private static long awaitStatus(HttpClient client, String url, int status) {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (System.nanoTime() < deadline) {
			Integer seen = client.get().uri(url)
				.responseSingle((response, body) -> body.asByteArray().defaultIfEmpty(new byte[0])
					.map((ignored) -> response.status().code()))
				.block(Duration.ofSeconds(10));
			if (seen != null && seen == status) {
				return System.nanoTime();
			}
		}
		throw new IllegalStateException("Status " + status + " not seen at " + url + " within 30 s");
	}

}
