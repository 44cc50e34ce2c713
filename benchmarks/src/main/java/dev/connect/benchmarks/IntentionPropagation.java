package dev.connect.benchmarks;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

import dev.connect.agent.DevAgent;
import dev.connect.mesh.MeshHttpClients;
import dev.connect.mesh.UpstreamAddressBook;
import dev.connect.mesh.UpstreamIdentity;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The {@code intentions} part (section 4 of the results): the time from writing {@code dashboard → counting deny} to the agent until the first 403, on a connection
 * that was already open (kept alive) and on a new connection, over repeated allow/deny flips against the counting
 * app with BoringSSL. Each probe is one request, sent as soon as the previous one answered, so the resolution is one
 * round trip (about 0.5 ms). Per run: p50, p99 and max over the run's flips; the figures are medians over runs.
 */
final class IntentionPropagation {

	private IntentionPropagation() {
	}

	static void measure(Suite suite) throws Exception {
		Plan plan = suite.plan();
		DevAgent agent = suite.agent();
		CountingServerProcess server = suite.server("mtls-boringssl");
		UpstreamAddressBook upstreams = new UpstreamAddressBook();
		upstreams.expect("127.0.0.1", server.port(), UpstreamIdentity.of("dc1", "counting"));
		ConnectionProvider one = ConnectionProvider.builder("kept-alive").maxConnections(1).build();
		HttpClient keptAlive = MeshHttpClients.secure(HttpClient.create(one), suite.dashboard(), upstreams);
		HttpClient fresh = MeshHttpClients.secure(HttpClient.newConnection(), suite.dashboard(), upstreams);
		String url = "https://127.0.0.1:" + server.port() + "/count";
		double[][] open = new double[3][plan.runs()];
		double[][] renewed = new double[3][plan.runs()];
		try {
			for (int flip = 0; flip < 3; flip++) {
				flip(agent, keptAlive, url, keptAlive);
				flip(agent, fresh, url, keptAlive);
			}
			for (int run = 0; run < plan.runs(); run++) {
				long[] openRun = new long[plan.flips()];
				long[] freshRun = new long[plan.flips()];
				for (int flip = 0; flip < plan.flips(); flip++) {
					openRun[flip] = flip(agent, keptAlive, url, keptAlive);
					freshRun[flip] = flip(agent, fresh, url, keptAlive);
				}
				summarize(openRun, open, run);
				summarize(freshRun, renewed, run);
				BenchmarkSuite.progress(String.format(Locale.ROOT,
						"intentions: run %d: kept-alive p50 %.1f ms p99 %.1f ms, new p50 %.1f ms p99 %.1f ms", run + 1,
						open[0][run], open[1][run], renewed[0][run], renewed[1][run]));
			}
		}
		finally {
			BenchmarkSupport.intention(agent, "dashboard", "counting", "allow");
			one.disposeLater().block(Duration.ofSeconds(10));
		}
		StringBuilder table = new StringBuilder("| Connection | p50 | p99 | max |\n|---|---|---|---|\n");
		var json = Report.object();
		for (var row : new Object[][] { { "already open (kept alive)", "keptAlive", open },
				{ "new for every probe", "newConnection", renewed } }) {
			double[][] figures = (double[][]) row[2];
			Spread p50 = Spread.of(figures[0]);
			Spread p99 = Spread.of(figures[1]);
			Spread max = Spread.of(figures[2]);
			table.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", row[0], p50.format("%.1f ms"),
					p99.format("%.1f ms"), max.format("%.1f ms")));
			json.put((String) row[1], Report.object("p50Ms", p50, "p99Ms", p99, "maxMs", max));
			suite.report().target("intention deny → first 403, p99, " + row[0], "≤ 1,000 ms (stretch 100 ms)",
					p99.format("%.1f ms"), p99.median() <= 1000);
		}
		json.put("flipsPerRun", plan.flips());
		suite.report().section("intentionPropagation", "4. Intention propagation", json, String.format(Locale.ROOT, """
				From the `PUT` of `dashboard → counting deny` to the first 403; %d runs of %d flips each (3 warm-up
				flips first), on one kept-alive connection and on a new connection per probe. The path: the agent's
				intention index wakes the app's blocking watch on `/v1/connect/intentions/match`, the watch invalidates
				the decision cache, the next request asks the agent.

				%s""", plan.runs(), plan.flips(), table));
	}

	/** Allows, waits until both clients pass, denies, and returns the nanoseconds until {@code client} sees 403. */
	private static long flip(DevAgent agent, HttpClient client, String url, HttpClient keptAlive) throws InterruptedException {
		BenchmarkSupport.intention(agent, "dashboard", "counting", "allow");
		BenchmarkSupport.awaitStatus(keptAlive, url, 200);
		BenchmarkSupport.awaitStatus(client, url, 200);
		Thread.sleep(100);
		long start = System.nanoTime();
		BenchmarkSupport.intention(agent, "dashboard", "counting", "deny");
		return BenchmarkSupport.awaitStatus(client, url, 403) - start;
	}

	private static void summarize(long[] nanos, double[][] into, int run) {
		long[] sorted = nanos.clone();
		Arrays.sort(sorted);
		into[0][run] = BenchmarkSupport.percentile(sorted, 50) / 1e6;
		into[1][run] = BenchmarkSupport.percentile(sorted, 99) / 1e6;
		into[2][run] = sorted[sorted.length - 1] / 1e6;
	}

}
