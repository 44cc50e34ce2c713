package dev.connect.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.client.AgentCertificateSource;
import dev.connect.tls.MeshHttpClients;
import dev.connect.tls.UpstreamAddressBook;
import io.netty.handler.ssl.SslProvider;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * {@code dashboard -> counting} calls end to end: a load generator calling as 'dashboard' (Reactor Netty client,
 * keep-alive, fixed concurrency, client certificate from the dev agent for the mesh modes) against the real
 * 'counting' app with the starter ({@link CountingServerMain}) in its own JVM with a fixed heap. Three modes, the
 * same app and the same load generator in each:
 * <ul>
 * <li>{@code plaintext}: HTTP, the starter's server TLS and authorization off;</li>
 * <li>{@code mtls-jdk}: mutual TLS and intention authorization, the JDK's TLS on both sides;</li>
 * <li>{@code mtls-boringssl}: the same with BoringSSL (netty-tcnative) on both sides, as the starter ships.</li>
 * </ul>
 * Runs interleave the modes (a fresh server JVM each time); warm-up calls are not recorded. Prints each run, then
 * the median per mode with the spread and the ratio to plaintext from the same run set.
 * <pre>
 * java -Xms1g -Xmx1g -cp benchmarks/target/benchmarks.jar dev.connect.benchmarks.MeshCallBenchmarks \
 *     [--runs=3] [--warmup=30] [--seconds=15] [--concurrency=16] [--modes=plaintext,mtls-jdk,mtls-boringssl]
 * </pre>
 * {@code -Dserver.jvmArgs="..."} adds options to the server JVM ({@code {mode}} is replaced by the mode), for
 * example to record a profile: {@code -Dserver.jvmArgs=-XX:StartFlightRecording=filename=/tmp/{mode}.jfr}.
 */
public final class MeshCallBenchmarks {

	private MeshCallBenchmarks() {
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = options(args);
		int runs = Integer.parseInt(options.getOrDefault("runs", "3"));
		int warmup = Integer.parseInt(options.getOrDefault("warmup", "30"));
		int seconds = Integer.parseInt(options.getOrDefault("seconds", "15"));
		int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "16"));
		List<String> modes = List.of(options.getOrDefault("modes", "plaintext,mtls-jdk,mtls-boringssl").split(","));
		for (String mode : modes) {
			if (!List.of("plaintext", "mtls-jdk", "mtls-boringssl").contains(mode)) {
				throw new IllegalArgumentException(
						"Mode '" + mode + "' must be one of plaintext, mtls-jdk, mtls-boringssl");
			}
		}
		System.out.printf(Locale.ROOT, "dashboard -> counting: %d run(s) x %s, warm-up %d s, measured %d s, concurrency %d, "
				+ "%d cores, java %s%n", runs, modes, warmup, seconds, concurrency,
				Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
		Map<String, List<Result>> results = new LinkedHashMap<>();
		try (DevAgent agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0))) {
			BenchmarkSupport.intention(agent, "dashboard", "counting", "allow");
			AgentCertificateSource dashboard = BenchmarkSupport.identity(agent, "dashboard");
			try {
				for (int run = 1; run <= runs; run++) {
					for (String mode : modes) {
						Result result = measure(agent, dashboard, mode, warmup, seconds, concurrency);
						results.computeIfAbsent(mode, (key) -> new ArrayList<>()).add(result);
						System.out.printf(Locale.ROOT, "run %d %-15s %s%n", run, mode, result);
					}
				}
			}
			finally {
				dashboard.dispose();
			}
		}
		summary(results);
	}

	private static Result measure(DevAgent agent, AgentCertificateSource dashboard, String mode, int warmup,
			int seconds, int concurrency) throws Exception {
		try (CountingServerProcess server = CountingServerProcess.start(agent.httpAddress(), mode)) {
			ConnectionProvider pool = ConnectionProvider.builder("bench-" + mode)
				.maxConnections(concurrency)
				.pendingAcquireMaxCount(-1)
				.build();
			try {
				HttpClient client = HttpClient.create(pool);
				String url;
				if (mode.equals("plaintext")) {
					url = "http://127.0.0.1:" + server.port() + "/count";
				}
				else {
					UpstreamAddressBook upstreams = new UpstreamAddressBook();
					upstreams.expect("127.0.0.1", server.port(), "counting");
					client = MeshHttpClients.secure(client, dashboard, upstreams,
							mode.equals("mtls-jdk") ? SslProvider.JDK : SslProvider.OPENSSL);
					url = "https://127.0.0.1:" + server.port() + "/count";
				}
				return load(client, url, warmup, seconds, concurrency, server);
			}
			finally {
				pool.disposeLater().block(Duration.ofSeconds(10));
			}
		}
	}

	/** Each worker calls in a loop, one call at a time; calls started after the warm-up are recorded. */
	private static Result load(HttpClient client, String url, int warmup, int seconds, int concurrency,
			CountingServerProcess server) {
		long start = System.nanoTime();
		long measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
		long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
		AtomicLong errors = new AtomicLong();
		AtomicLong bytes = new AtomicLong();
		List<long[]> latencies = Flux.range(0, concurrency)
			.flatMap((worker) -> {
				Recorder recorder = new Recorder();
				return Mono.defer(() -> {
					long begin = System.nanoTime();
					return client.get()
						.uri(url)
						.responseSingle((response, body) -> body.asByteArray()
							.map((content) -> (response.status().code() == 200) ? content.length : -1))
						.doOnNext((length) -> {
							if (length < 0) {
								errors.incrementAndGet();
							}
							else if (begin >= measureFrom) {
								recorder.record(System.nanoTime() - begin);
								bytes.addAndGet(length);
							}
						})
						.onErrorResume((error) -> {
							errors.incrementAndGet();
							return Mono.empty();
						});
				}).repeat(() -> System.nanoTime() < end).then(Mono.fromCallable(recorder::values));
			}, concurrency)
			.collectList()
			.block(Duration.ofSeconds(warmup + seconds + 60));
		long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
		if (all.length == 0) {
			throw new IllegalStateException("No call succeeded against " + url + " (" + errors.get() + " errors)");
		}
		return new Result(all.length / (double) seconds, BenchmarkSupport.percentile(all, 50), BenchmarkSupport.percentile(all, 90),
				BenchmarkSupport.percentile(all, 99), errors.get(), bytes.get() / all.length, server.openSsl());
	}

	/**
	 * Prints the median per mode with its spread; the ratio to plaintext is computed run by run (each run's modes
	 * ran back to back) and its median and spread are shown.
	 */
	private static void summary(Map<String, List<Result>> results) {
		System.out.println();
		System.out.println("| Mode | Requests/s | p50 | p90 | p99 | mTLS ÷ plaintext (req/s, run by run) | Errors |");
		System.out.println("|---|---|---|---|---|---|---|");
		List<Result> plaintext = results.get("plaintext");
		for (Map.Entry<String, List<Result>> entry : results.entrySet()) {
			List<Result> runs = entry.getValue();
			String ratio = "-";
			if (plaintext != null && plaintext.size() == runs.size()) {
				double[] ratios = new double[runs.size()];
				for (int i = 0; i < runs.size(); i++) {
					ratios[i] = runs.get(i).throughput() / plaintext.get(i).throughput();
				}
				Arrays.sort(ratios);
				ratio = (ratios.length == 1) ? String.format(Locale.ROOT, "**%.2f**", ratios[0])
						: String.format(Locale.ROOT, "**%.2f** (%.2f – %.2f)", ratios[ratios.length / 2], ratios[0],
								ratios[ratios.length - 1]);
			}
			System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %d |%n", entry.getKey(),
					spread(runs, Result::throughput, "%,.0f", 1), spread(runs, Result::p50, "%.2f ms", 1e-6),
					spread(runs, Result::p90, "%.2f ms", 1e-6), spread(runs, Result::p99, "%.2f ms", 1e-6), ratio,
					runs.stream().mapToLong(Result::errors).sum());
		}
	}

	private static String spread(List<Result> runs, java.util.function.ToDoubleFunction<Result> value, String format,
			double scale) {
		double[] values = runs.stream().mapToDouble(value).map((v) -> v * scale).sorted().toArray();
		String median = String.format(Locale.ROOT, format, values[values.length / 2]);
		if (values.length == 1) {
			return "**" + median + "**";
		}
		return "**" + median + "** (" + String.format(Locale.ROOT, format, values[0]) + " – "
				+ String.format(Locale.ROOT, format, values[values.length - 1]) + ")";
	}

	private static Map<String, String> options(String[] args) {
		Map<String, String> options = new LinkedHashMap<>();
		for (String arg : args) {
			if (!arg.startsWith("--") || !arg.contains("=")) {
				throw new IllegalArgumentException("Argument '" + arg + "' must look like --name=value");
			}
			options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
		}
		return options;
	}

	/** One worker's latencies, in nanoseconds; used by one call at a time. */
	private static final class Recorder {

		private long[] values = new long[1 << 14];

		private int size;

		void record(long nanos) {
			if (this.size == this.values.length) {
				this.values = Arrays.copyOf(this.values, this.size * 2);
			}
			this.values[this.size++] = nanos;
		}

		long[] values() {
			return Arrays.copyOf(this.values, this.size);
		}

	}

	record Result(double throughput, long p50, long p90, long p99, long errors, long responseBytes, boolean serverOpenSsl) {

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "%,.0f req/s  p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  errors %d  "
					+ "response %d B  server OpenSSL %s", this.throughput, this.p50 / 1e6, this.p90 / 1e6, this.p99 / 1e6,
					this.errors, this.responseBytes, this.serverOpenSsl);
		}

	}

}
