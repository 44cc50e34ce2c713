package dev.connect.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.connect.mesh.MeshConnectionPool;
import dev.connect.mesh.MeshHttpClients;
import dev.connect.mesh.UpstreamAddressBook;
import dev.connect.mesh.UpstreamIdentity;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The {@code rotation} part (section 5 of the results): calls at fixed concurrency (mTLS with BoringSSL, the mesh client's own pool, which retires connections on
 * new material over its drain time) while the CA root is rotated; every root rotation makes the agent re-issue both
 * services' leaves within its jitter window, so each rotation is a root change and a leaf change on both ends. Per
 * run: a steady window, the rotations until the last re-issued leaf has drained, and the same steady window after;
 * failed calls and the p99 during the rotations ÷ the p99 of the steady window before them.
 */
final class RotationUnderLoad {

	private RotationUnderLoad() {
	}

	static void measure(Suite suite) throws Exception {
		Plan plan = suite.plan();
		CountingServerProcess server = suite.server("mtls-boringssl");
		AtomicInteger snapshots = new AtomicInteger();
		suite.dashboard().onChange((snapshot) -> snapshots.incrementAndGet());
		UpstreamAddressBook upstreams = new UpstreamAddressBook();
		upstreams.expect("127.0.0.1", server.port(), UpstreamIdentity.of("dc1", "counting"));
		ConnectionProvider pool = MeshConnectionPool.create("rotation", suite.dashboard(), upstreams,
				Duration.ofMinutes(10), Duration.ofMinutes(1), plan.rotationDrain());
		HttpClient client = MeshHttpClients.secure(HttpClient.create(pool), suite.dashboard(), upstreams);
		String url = "https://127.0.0.1:" + server.port() + "/count";
		AtomicBoolean running = new AtomicBoolean(true);
		List<long[]> samples = new ArrayList<>();
		List<Long> failures = new CopyOnWriteArrayList<>();
		List<String> failureKinds = new CopyOnWriteArrayList<>();
		// The previous part ends on a flip back to allow: start once the callee allows the caller again.
		BenchmarkSupport.awaitStatus(client, url, 200);
		var done = Flux.range(0, plan.concurrency()).flatMap((worker) -> {
			long[][] local = { new long[1 << 16] };
			int[] size = { 0 };
			return Mono.defer(() -> {
				long start = System.nanoTime();
				return client.get().uri(url)
					.responseSingle((response, body) -> body.asByteArray().map((ignored) -> response.status().code()))
					.doOnNext((status) -> {
						if (status != 200) {
							failures.add(start);
							failureKinds.add(start + " status " + status);
							return;
						}
						if (size[0] + 2 > local[0].length) {
							local[0] = Arrays.copyOf(local[0], local[0].length * 2);
						}
						local[0][size[0]++] = start;
						local[0][size[0]++] = System.nanoTime() - start;
					})
					.onErrorResume((error) -> {
						failures.add(start);
						failureKinds.add(start + " " + error);
						return Mono.empty();
					});
			}).repeat(running::get).then(Mono.fromRunnable(() -> {
				synchronized (samples) {
					samples.add(Arrays.copyOf(local[0], size[0]));
				}
			}));
		}, plan.concurrency()).then().toFuture();
		long[] warmup = new long[3];
		long[][] windows = new long[plan.rotationRuns()][4];
		int[] changes = new int[plan.rotationRuns()];
		int rotations = 0;
		try {
			warmup[0] = System.nanoTime();
			Thread.sleep(plan.rotationSteady().toMillis());
			BenchmarkSuite.progress("rotation: warm-up, 1 root rotation (not counted)");
			warmup[1] = System.nanoTime();
			rotate(suite, rotations++);
			Thread.sleep(afterLastRotation(plan).toMillis());
			warmup[2] = System.nanoTime();
			for (int run = 0; run < plan.rotationRuns(); run++) {
				BenchmarkSuite.progress("rotation: run " + (run + 1) + ", " + plan.rotations() + " root rotation(s)");
				windows[run][0] = System.nanoTime();
				Thread.sleep(plan.rotationSteady().toMillis());
				windows[run][1] = System.nanoTime();
				int before = snapshots.get();
				for (int i = 0; i < plan.rotations(); i++) {
					rotate(suite, rotations++);
					Thread.sleep((i < plan.rotations() - 1) ? plan.rotationSpacing().toMillis()
							: afterLastRotation(plan).toMillis());
				}
				windows[run][2] = System.nanoTime();
				changes[run] = snapshots.get() - before;
				Thread.sleep(plan.rotationSteady().toMillis());
				windows[run][3] = System.nanoTime();
			}
		}
		finally {
			running.set(false);
			done.get(60, TimeUnit.SECONDS);
			pool.disposeLater().block(Duration.ofSeconds(10));
		}
		report(suite, samples, failures, failureKinds, warmup, windows, changes);
	}

	private static void report(Suite suite, List<long[]> samples, List<Long> failures, List<String> failureKinds,
			long[] warmup, long[][] windows, int[] changes) {
		Plan plan = suite.plan();
		int runs = windows.length;
		double[][] figures = new double[6][runs];
		long totalFailures = 0;
		StringBuilder table = new StringBuilder("| Run | New snapshots (caller) | Calls during | Failed | p99 before | p99 during | p99 after | during ÷ before |\n"
				+ "|---|---|---|---|---|---|---|---|\n");
		for (int run = 0; run < runs; run++) {
			long[] w = windows[run];
			long[] before = latencies(samples, w[0], w[1]);
			long[] during = latencies(samples, w[1], w[2]);
			long[] after = latencies(samples, w[2], w[3]);
			long failed = failures.stream().filter((at) -> at >= w[0] && at < w[3]).count();
			totalFailures += failed;
			figures[0][run] = failed;
			figures[1][run] = BenchmarkSupport.percentile(before, 99) / 1e6;
			figures[2][run] = BenchmarkSupport.percentile(during, 99) / 1e6;
			figures[3][run] = BenchmarkSupport.percentile(after, 99) / 1e6;
			figures[4][run] = figures[2][run] / figures[1][run];
			figures[5][run] = changes[run];
			table.append(String.format(Locale.ROOT, "| %d | %d | %,d | %d | %.2f ms | %.2f ms | %.2f ms | %.2f |%n",
					run + 1, changes[run], during.length, failed, figures[1][run], figures[2][run], figures[3][run],
					figures[4][run]));
		}
		Spread ratio = Spread.of(figures[4]);
		// The warm-up rotation's figures are shown, not counted; its failed calls are counted.
		double warmupBefore = BenchmarkSupport.percentile(latencies(samples, warmup[0], warmup[1]), 99) / 1e6;
		double warmupDuring = BenchmarkSupport.percentile(latencies(samples, warmup[1], warmup[2]), 99) / 1e6;
		long warmupFailed = failures.stream().filter((at) -> at >= warmup[0] && at < warmup[2]).count();
		totalFailures += warmupFailed;
		List<String> kinds = failureKinds.stream()
			.filter((kind) -> {
				long at = Long.parseLong(kind.substring(0, kind.indexOf(' ')));
				return at >= warmup[0] && at < windows[runs - 1][3];
			})
			.map((kind) -> kind.substring(kind.indexOf(' ') + 1))
			.distinct()
			.limit(3)
			.toList();
		suite.report().target("failed calls during leaf and root rotation", "0", Long.toString(totalFailures),
				totalFailures == 0);
		suite.report().target("p99 during rotation ÷ steady p99", "≤ 1.5", ratio.format("%.2f"), ratio.median() <= 1.5);
		String markdown = String.format(Locale.ROOT, """
				Calls at concurrency %d (BoringSSL, the mesh client's own pool) while the root is rotated %d time(s)
				per run, %.1f s apart; each rotation makes the agent re-issue both services' leaves within %d s, so every
				rotation is a new root and a new leaf on both ends (a short leaf TTL cannot force leaf-only rotations:
				Consul's minimum `LeafCertTTL` is 1 h, and the dev agent enforces it). The client retires pooled
				connections over a drain time of %.1f s after each change. Per run: %.1f s steady before; "during" is
				from the first rotation until the last one's leaves have been re-issued and drained (%.1f s after it);
				then %.1f s after. Before the runs, one warm-up rotation, not counted because the code that handles a
				rotation then runs for the first time in these JVMs (JIT compilation competes with the load): p99 %.2f ms
				during it vs %.2f ms before (%.2f), %d failed calls. Failed calls in the warm-up and all runs: **%d**%s.

				%s""", plan.concurrency(), plan.rotations(), plan.rotationSpacing().toMillis() / 1000.0,
				plan.rotationJitter().toSeconds(), plan.rotationDrain().toMillis() / 1000.0,
				plan.rotationSteady().toMillis() / 1000.0,
				afterLastRotation(plan).toMillis() / 1000.0,
				plan.rotationSteady().toMillis() / 1000.0, warmupDuring, warmupBefore, warmupDuring / warmupBefore,
				warmupFailed, totalFailures, kinds.isEmpty() ? "" : " (" + String.join("; ", kinds) + ")",
				table);
		suite.report().section("rotation", "5. Rotation under load", Report.object("concurrency", plan.concurrency(),
				"rootRotationsPerRun", plan.rotations(), "failedCalls", totalFailures, "newSnapshotsOnCaller",
				Spread.of(figures[5]), "p99BeforeMs", Spread.of(figures[1]), "p99DuringMs", Spread.of(figures[2]),
				"p99AfterMs", Spread.of(figures[3]), "p99DuringOverBefore", ratio, "warmupRotation",
				Report.object("p99BeforeMs", warmupBefore, "p99DuringMs", warmupDuring, "failedCalls", warmupFailed)),
				markdown);
	}

	/**
	 * Rotates the root to a new key. The key size alternates with the rotation's number (the agent starts with
	 * P-256), so that every rotation is a real key change.
	 */
	private static void rotate(Suite suite, int number) throws Exception {
		BenchmarkSupport.put(suite.agent(), "/v1/connect/ca/configuration", "{\"Provider\":\"consul\",\"Config\":"
				+ "{\"PrivateKeyType\":\"ec\",\"PrivateKeyBits\":" + ((number % 2 == 0) ? 384 : 256) + "}}");
	}

	/** The "during" window lasts until connections made before the last rotation's new leaves have drained. */
	private static Duration afterLastRotation(Plan plan) {
		Duration effects = plan.rotationJitter().plus(plan.rotationDrain());
		return (effects.compareTo(plan.rotationSpacing()) > 0) ? effects : plan.rotationSpacing();
	}

	private static long[] latencies(List<long[]> samples, long from, long to) {
		List<Long> selected = new ArrayList<>();
		for (long[] worker : samples) {
			for (int i = 0; i + 1 < worker.length; i += 2) {
				if (worker[i] >= from && worker[i] < to) {
					selected.add(worker[i + 1]);
				}
			}
		}
		if (selected.isEmpty()) {
			throw new IllegalStateException("No successful call in a rotation window");
		}
		return selected.stream().mapToLong(Long::longValue).sorted().toArray();
	}

}
