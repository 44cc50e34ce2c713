package dev.connect.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The {@code sidecar} part (section 7 of the results): the same plain HTTP client and app with nothing between them
 * ({@code direct}), through two {@code connect-proxy} sidecars ({@code sidecars}: client → upstream listener →
 * mTLS → public listener → app; {@code sidecars-boringssl}: the same with BoringSSL) and through a pair of HAProxy
 * processes doing the same mutual-TLS tunnel ({@code haproxy}), see {@link Tunnels}. Per mode: small requests on kept-alive connections (requests/s, p50, p99,
 * and the tunnel's CPU per request), one bulk stream (MB/s), and new connections with one request each; then the
 * memory of each tunnel's pair, idle (before any traffic) and under the kept-alive load. The modes are warmed up,
 * then interleaved run by run (every other run in reverse order), so the ratios pair runs taken back to back.
 */
final class SidecarProxies {

	private static final List<String> MODES = List.of("direct", "sidecars", "sidecars-boringssl", "haproxy");

	private static final List<String> MODES_REVERSED = List.of("haproxy", "sidecars-boringssl", "sidecars", "direct");

	/** Requests in flight for the latency at a light load. */
	static final int LIGHT_CONCURRENCY = 2;

	private SidecarProxies() {
	}

	static void measure(Suite suite) throws Exception {
		Plan plan = suite.plan();
		long bulkBytes = (plan.isQuick() ? 32L : 256L) << 20;
		Map<String, List<double[]>> results = new LinkedHashMap<>();
		Map<String, long[]> memory = new LinkedHashMap<>();
		List<ConnectionProvider> pools = new ArrayList<>();
		BenchmarkSuite.progress("sidecar: starting the app, two pairs of connect-proxy sidecars and two HAProxy processes");
		try (Tunnels tunnels = Tunnels.start(suite.agent(), Path.of("benchmarks", "target", "sidecar"))) {
			Map<String, Tunnels.Tunnel> byMode = new LinkedHashMap<>();
			Map<String, HttpClient> keptAlive = new LinkedHashMap<>();
			for (Tunnels.Tunnel tunnel : tunnels.all()) {
				byMode.put(tunnel.mode(), tunnel);
				ConnectionProvider pool = ConnectionProvider.builder("sidecar-" + tunnel.mode())
					.maxConnections(plan.concurrency())
					.pendingAcquireMaxCount(-1)
					.build();
				pools.add(pool);
				keptAlive.put(tunnel.mode(), HttpClient.create(pool));
				Thread.sleep(1000);
				memory.put(tunnel.mode(), new long[] { tunnel.rssBytes(), tunnel.heapUsedBytes(), 0, 0 });
			}
			for (String mode : MODES) {
				BenchmarkSuite.progress("sidecar: warming up " + mode + " for " + plan.callWarmup().toSeconds() + " s + "
						+ plan.handshakeWarmup().toSeconds() + " s");
				int port = byMode.get(mode).port();
				MeshCalls.load(keptAlive.get(mode), small(port), plan.callWarmup(), plan.concurrency());
				Handshakes.connections(HttpClient.newConnection(), small(port), plan.concurrency(), plan.handshakeWarmup());
				bulk(port, bulkBytes);
			}
			for (int run = 1; run <= plan.runs(); run++) {
				for (String mode : (run % 2 == 1) ? MODES : MODES_REVERSED) {
					Tunnels.Tunnel tunnel = byMode.get(mode);
					Duration cpuBefore = tunnel.cpuTime();
					MeshCalls.Stats calls = MeshCalls.load(keptAlive.get(mode), small(tunnel.port()), plan.callMeasure(),
							plan.concurrency());
					double cpuMicros = tunnel.cpuTime().minus(cpuBefore).toNanos() / 1e3
							/ (calls.throughput() * plan.callMeasure().toNanos() / 1e9);
					// The same calls at a load no mode saturates: what the tunnel adds, rather than CPU queueing.
					MeshCalls.Stats light = MeshCalls.load(keptAlive.get(mode), small(tunnel.port()), plan.callMeasure(),
							LIGHT_CONCURRENCY);
					double megabytes = bulk(tunnel.port(), bulkBytes);
					long[] connections = Handshakes.connections(HttpClient.newConnection(), small(tunnel.port()),
							plan.concurrency(), plan.handshakeMeasure());
					double connectionRate = connections[0] / (plan.handshakeMeasure().toNanos() / 1e9);
					results.computeIfAbsent(mode, (key) -> new ArrayList<>()).add(new double[] { calls.throughput(),
							calls.p50() / 1e6, calls.p99() / 1e6, cpuMicros, megabytes, connectionRate,
							calls.errors() + connections[1] + light.errors(), light.p50() / 1e6, light.p99() / 1e6 });
					BenchmarkSuite.progress(String.format(Locale.ROOT, "sidecar: run %d %s: %s, tunnel CPU %.0f us/req, "
							+ "bulk %.0f MB/s, %,.0f new connections/s (%d failed); %d in flight: p50 %.2f ms p99 %.2f ms",
							run, mode, calls, cpuMicros, megabytes, connectionRate, connections[1], LIGHT_CONCURRENCY,
							light.p50() / 1e6, light.p99() / 1e6));
				}
			}
			for (String mode : List.of("sidecars", "sidecars-boringssl", "haproxy")) {
				memory.put(mode, underLoad(byMode.get(mode), keptAlive.get(mode), plan, memory.get(mode)));
			}
		}
		finally {
			for (ConnectionProvider pool : pools) {
				pool.disposeLater().block(Duration.ofSeconds(10));
			}
		}
		SidecarReport.write(suite, results, memory, bulkBytes);
	}

	static String small(int port) {
		return "http://127.0.0.1:" + port + "/small";
	}

	/** One stream of the given size on a new connection; MB/s (10^6 bytes). */
	private static double bulk(int port, long bytes) {
		AtomicLong received = new AtomicLong();
		long begin = System.nanoTime();
		HttpClient.newConnection()
			.get()
			.uri("http://127.0.0.1:" + port + "/bulk?bytes=" + bytes)
			.responseContent()
			.doOnNext((buffer) -> received.addAndGet(buffer.readableBytes()))
			.then()
			.block(Duration.ofMinutes(5));
		double seconds = (System.nanoTime() - begin) / 1e9;
		if (received.get() != bytes) {
			throw new IllegalStateException("The bulk stream brought " + received.get() + " of " + bytes + " bytes");
		}
		return bytes / 1e6 / seconds;
	}

	/** RSS and heap sampled every second during a kept-alive load; returns {idle RSS, idle heap, max RSS, max heap}. */
	private static long[] underLoad(Tunnels.Tunnel tunnel, HttpClient client, Plan plan, long[] idle) throws Exception {
		BenchmarkSuite.progress("sidecar: memory of " + tunnel.mode() + " under load");
		Duration window = plan.callMeasure().plusSeconds(2);
		var load = Mono.fromCallable(() -> MeshCalls.load(client, small(tunnel.port()), window, plan.concurrency()))
			.subscribeOn(Schedulers.boundedElastic())
			.toFuture();
		long rss = 0;
		long heap = -1;
		Thread.sleep(1000);
		while (!load.isDone()) {
			rss = Math.max(rss, tunnel.rssBytes());
			heap = Math.max(heap, tunnel.heapUsedBytes());
			Thread.sleep(1000);
		}
		load.get();
		return new long[] { idle[0], idle[1], rss, heap };
	}

}
