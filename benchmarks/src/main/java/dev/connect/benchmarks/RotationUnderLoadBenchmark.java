package dev.connect.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.client.AgentCertificateSource;
import dev.connect.tls.MeshConnectionPool;
import dev.connect.tls.MeshHttpClients;
import dev.connect.tls.UpstreamAddressBook;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Rotation under load: {@code dashboard → counting} calls at fixed concurrency (mTLS with BoringSSL, the mesh
 * client's own pool, which retires connections on new material) while the CA root is rotated several times; every
 * root rotation makes the agent re-issue both services' leaves within the jitter window, so each rotation is a root
 * change and a leaf change on both ends. Reports failed calls (target 0) and the p99 during the rotations ÷ the
 * steady-state p99 (target ≤ 1.5), with 25 s of warm-up, 10 s before and 10 s after the rotations as baselines.
 * <pre>
 * java -Xms1g -Xmx1g -cp benchmarks/target/benchmarks.jar dev.connect.benchmarks.RotationUnderLoadBenchmark [--rotations=3]
 * </pre>
 */
public final class RotationUnderLoadBenchmark {

	private static final int CONCURRENCY = 16;

	private RotationUnderLoadBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int rotations = 3;
		for (String arg : args) {
			if (arg.startsWith("--rotations=")) {
				rotations = Integer.parseInt(arg.substring("--rotations=".length()));
			}
			else {
				throw new IllegalArgumentException("Argument '" + arg + "' must be --rotations=<n>");
			}
		}
		Duration jitter = Duration.ofSeconds(5);
		try (DevAgent agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0).withRootRotationJitter(jitter));
				CountingServerProcess server = CountingServerProcess.start(agent.httpAddress(), "mtls-boringssl")) {
			BenchmarkSupport.intention(agent, "dashboard", "counting", "allow");
			AgentCertificateSource dashboard = BenchmarkSupport.identity(agent, "dashboard");
			AtomicInteger leafChanges = new AtomicInteger();
			dashboard.onChange((snapshot) -> leafChanges.incrementAndGet());
			UpstreamAddressBook upstreams = new UpstreamAddressBook();
			upstreams.expect("127.0.0.1", server.port(), "counting");
			ConnectionProvider pool = MeshConnectionPool.create("rotation", dashboard, upstreams, Duration.ofMinutes(10),
					Duration.ofMinutes(1));
			HttpClient client = MeshHttpClients.secure(HttpClient.create(pool), dashboard, upstreams);
			String url = "https://127.0.0.1:" + server.port() + "/count";
			AtomicBoolean running = new AtomicBoolean(true);
			List<long[]> samples = new ArrayList<>();
			AtomicLong failures = new AtomicLong();
			List<String> failureKinds = new java.util.concurrent.CopyOnWriteArrayList<>();
			Mono<Void> load = Flux.range(0, CONCURRENCY).flatMap((worker) -> {
				long[][] local = { new long[1 << 16] };
				int[] size = { 0 };
				return Mono.defer(() -> {
					long start = System.nanoTime();
					return client.get().uri(url)
						.responseSingle((response, body) -> body.asByteArray().map((ignored) -> response.status().code()))
						.doOnNext((status) -> {
							if (status != 200) {
								failures.incrementAndGet();
								failureKinds.add("status " + status);
								return;
							}
							if (size[0] + 2 > local[0].length) {
								local[0] = Arrays.copyOf(local[0], local[0].length * 2);
							}
							local[0][size[0]++] = start;
							local[0][size[0]++] = System.nanoTime() - start;
						})
						.onErrorResume((error) -> {
							failures.incrementAndGet();
							failureKinds.add(error.toString());
							return Mono.empty();
						});
				}).repeat(running::get).then(Mono.fromRunnable(() -> {
					synchronized (samples) {
						samples.add(Arrays.copyOf(local[0], size[0]));
					}
				}));
			}, CONCURRENCY).then();
			var done = load.toFuture();
			Thread.sleep(25_000);
			long steadyFrom = System.nanoTime();
			Thread.sleep(10_000);
			long rotationFrom = System.nanoTime();
			int changesBefore = leafChanges.get();
			for (int i = 0; i < rotations; i++) {
				BenchmarkSupport.put(agent, "/v1/connect/ca/configuration", "{\"Provider\":\"consul\",\"Config\":{\"PrivateKeyType\":\"ec\","
						+ "\"PrivateKeyBits\":" + ((i % 2 == 0) ? 384 : 256) + "}}");
				Thread.sleep(jitter.toMillis() + 3_000);
			}
			long rotationTo = System.nanoTime();
			Thread.sleep(10_000);
			long afterTo = System.nanoTime();
			running.set(false);
			done.get(30, TimeUnit.SECONDS);
			long[] steady = latencies(samples, steadyFrom, rotationFrom);
			long[] during = latencies(samples, rotationFrom, rotationTo);
			long[] after = latencies(samples, rotationTo, afterTo);
			double steadyP99 = BenchmarkSupport.percentile(steady, 99) / 1e6;
			double duringP99 = BenchmarkSupport.percentile(during, 99) / 1e6;
			double afterP99 = BenchmarkSupport.percentile(after, 99) / 1e6;
			System.out.printf(Locale.ROOT, "%d root rotations (each re-issuing both leaves within %d s), %d new snapshots "
					+ "on the caller; calls: 10 s before %,d, during rotations %,d, 10 s after %,d; failed %d %s%n",
					rotations, jitter.toSeconds(), leafChanges.get() - changesBefore, steady.length, during.length,
					after.length, failures.get(),
					failureKinds.stream().distinct().limit(3).toList());
			System.out.printf(Locale.ROOT, "p50 before %.2f ms, during %.2f ms, after %.2f ms; p99 before %.2f ms, during "
					+ "%.2f ms, after %.2f ms; p99 during ÷ before %.2f, during ÷ after %.2f%n", BenchmarkSupport.percentile(steady, 50) / 1e6,
					BenchmarkSupport.percentile(during, 50) / 1e6, BenchmarkSupport.percentile(after, 50) / 1e6, steadyP99, duringP99, afterP99,
					duringP99 / steadyP99, duringP99 / afterP99);
			dashboard.dispose();
			pool.disposeLater().block(Duration.ofSeconds(10));
		}
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
		return selected.stream().mapToLong(Long::longValue).sorted().toArray();
	}

}
