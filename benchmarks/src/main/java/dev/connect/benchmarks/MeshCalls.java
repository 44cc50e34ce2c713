package dev.connect.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.connect.mesh.MeshHttpClients;
import dev.connect.mesh.UpstreamAddressBook;
import dev.connect.mesh.UpstreamIdentity;
import dev.connect.tls.CertificateSource;
import io.netty.handler.ssl.SslProvider;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.util.context.Context;

/**
 * The {@code calls} part (section 1 of the results): {@code dashboard → counting} calls, keep-alive, fixed concurrency, about 1 KB per answer, in five modes
 * against the real counting app with the starter, one JVM per mode: WebFlux on Reactor Netty
 * ({@link CountingServerMain}) and Spring MVC on Tomcat ({@link CountingServletMain}):
 * <ul>
 * <li>{@code plaintext}: WebFlux, HTTP, the starter's server TLS and authorization off;</li>
 * <li>{@code mtls-jdk}: mutual TLS and intention authorization of every request, the JDK's TLS on both sides;</li>
 * <li>{@code mtls-boringssl}: the same with BoringSSL (netty-tcnative) on both sides, as the starter ships;</li>
 * <li>{@code mtls-l7}: the {@code mtls-boringssl} server called as {@code dashboard-l7}, a caller whose source in
 * counting's {@code service-intentions} entry has one L7 permission ({@code GET /count*}), so each request is decided
 * by the L7 rules in process instead of the cached L4 decision; divided by {@code mtls-boringssl};</li>
 * <li>{@code mvc-plaintext}: Spring MVC on Tomcat, HTTP, server TLS and authorization off;</li>
 * <li>{@code mvc-mtls}: Spring MVC on Tomcat with mutual TLS and the authorization filter; Tomcat's TLS is the JDK's
 * JSSE on Java 17, the load generator's BoringSSL as a starter caller's.</li>
 * </ul>
 * Each mesh mode is divided by the plaintext mode of its own stack.
 * The load generator (this JVM) is the same Reactor Netty client in every mode, with the caller's certificate in the
 * mesh modes. Each mode is warmed up unrecorded, then the runs interleave the modes, so each run's ratio to
 * plaintext pairs measurements taken back to back.
 */
final class MeshCalls {

	/** The WebFlux modes, which the handshakes part measures too. */
	static final List<String> MODES = List.of("plaintext", "mtls-jdk", "mtls-boringssl");

	/** Every mode of the calls part: the WebFlux modes, then the servlet stack's. */
	static final List<String> CALL_MODES = List.of("plaintext", "mtls-jdk", "mtls-boringssl", "mtls-l7",
			"mvc-plaintext", "mvc-mtls");

	private static final List<String> CALL_MODES_REVERSED = List.of("mvc-mtls", "mvc-plaintext", "mtls-l7",
			"mtls-boringssl", "mtls-jdk", "plaintext");

	private MeshCalls() {
	}

	static void measure(Suite suite) throws Exception {
		Plan plan = suite.plan();
		Map<String, HttpClient> clients = new LinkedHashMap<>();
		Map<String, String> urls = new LinkedHashMap<>();
		List<ConnectionProvider> pools = new ArrayList<>();
		Map<String, List<Stats>> results = new LinkedHashMap<>();
		boolean serverOpenSsl = false;
		try {
			for (String mode : CALL_MODES) {
				CountingServerProcess server = suite.server(mode.equals("mtls-l7") ? "mtls-boringssl" : mode);
				serverOpenSsl |= mode.equals("mtls-boringssl") && server.openSsl();
				ConnectionProvider pool = ConnectionProvider.builder("calls-" + mode)
					.maxConnections(plan.concurrency())
					.pendingAcquireMaxCount(-1)
					.build();
				pools.add(pool);
				clients.put(mode, client(mode, HttpClient.create(pool),
						mode.equals("mtls-l7") ? suite.dashboardL7() : suite.dashboard(), server.port()));
				urls.put(mode, url(mode, server.port()));
			}
			for (String mode : CALL_MODES) {
				BenchmarkSuite.progress("calls: warming up " + mode + " for " + plan.callWarmup().toSeconds() + " s");
				load(clients.get(mode), urls.get(mode), plan.callWarmup(), plan.concurrency());
			}
			for (int run = 1; run <= plan.callRuns(); run++) {
				// Every other run in reverse order, so that a drift of the machine does not favour one mode.
				for (String mode : (run % 2 == 1) ? CALL_MODES : CALL_MODES_REVERSED) {
					Stats stats = load(clients.get(mode), urls.get(mode), plan.callMeasure(), plan.concurrency());
					results.computeIfAbsent(mode, (key) -> new ArrayList<>()).add(stats);
					BenchmarkSuite.progress("calls: run " + run + " " + mode + ": " + stats);
				}
			}
		}
		finally {
			for (ConnectionProvider pool : pools) {
				pool.disposeLater().block(Duration.ofSeconds(10));
			}
		}
		report(suite, results, serverOpenSsl);
	}

	private static void report(Suite suite, Map<String, List<Stats>> results, boolean serverOpenSsl) {
		Plan plan = suite.plan();
		Map<String, Spread> plaintext = Map.of("plaintext", spread(results.get("plaintext"), Stats::throughput),
				"mvc-plaintext", spread(results.get("mvc-plaintext"), Stats::throughput), "mtls-boringssl",
				spread(results.get("mtls-boringssl"), Stats::throughput));
		StringBuilder table = new StringBuilder("| Mode | Requests/s | p50 | p90 | p99 | ÷ plaintext (req/s, run by run) | Errors |\n"
				+ "|---|---|---|---|---|---|---|\n");
		Map<String, Object> modes = new LinkedHashMap<>();
		for (Map.Entry<String, List<Stats>> entry : results.entrySet()) {
			List<Stats> runs = entry.getValue();
			Spread throughput = spread(runs, Stats::throughput);
			Spread ratio = throughput.over(plaintext.get(baseline(entry.getKey())));
			Spread p50 = spread(runs, (stats) -> stats.p50() / 1e6);
			Spread p90 = spread(runs, (stats) -> stats.p90() / 1e6);
			Spread p99 = spread(runs, (stats) -> stats.p99() / 1e6);
			long errors = runs.stream().mapToLong(Stats::errors).sum();
			table.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %d |%n", entry.getKey(),
					throughput.format("%,.0f"), p50.format("%.2f ms"), p90.format("%.2f ms"), p99.format("%.2f ms"),
					ratio.format("%.2f"), errors));
			modes.put(entry.getKey(), Report.object("requestsPerSecond", throughput, "p50Ms", p50, "p90Ms", p90,
					"p99Ms", p99, "ratioToPlaintext", ratio, "errors", errors, "responseBytes", runs.get(0).responseBytes()));
			Map<String, Spread> chart = new LinkedHashMap<>();
			chart.put("requests/s", throughput);
			chart.put("p50", p50);
			chart.put("p90", p90);
			chart.put("p99", p99);
			chart.put("ratio", ratio);
			suite.report().calls(entry.getKey(), chart);
			if (TARGETS.containsKey(entry.getKey())) {
				double target = TARGETS.get(entry.getKey());
				suite.report().target(TARGET_NAMES.get(entry.getKey()),
						String.format(Locale.ROOT, "≥ %.2f", target), ratio.format("%.2f"), ratio.median() >= target);
			}
			if (errors > 0) {
				suite.report().target("failed calls, " + entry.getKey(), "0", Long.toString(errors), false);
			}
		}
		Spread jsse = spread(results.get("mtls-jdk"), Stats::throughput)
			.over(spread(results.get("mtls-boringssl"), Stats::throughput));
		String markdown = String.format(Locale.ROOT, """
				Keep-alive calls to `GET /count` (%d B answers), %d in flight over a pool of %d connections; each mode
				warmed up for %d s unrecorded, then %d runs of %d s with the modes interleaved (every other run in reverse
				order, so that a drift of the machine does not favour one mode). The server's BoringSSL
				in `mtls-boringssl`: %s. Ratios pair each run with the same run's plaintext of the same stack: the
				`mvc-*` modes are the same app as Spring MVC on Tomcat, `mvc-mtls` over `mvc-plaintext`. Tomcat's TLS
				is the JDK's JSSE (on Java 17 Tomcat has no other without tomcat-native). What the JSSE provider costs,
				the same WebFlux server and load with the JDK's TLS instead of BoringSSL (`mtls-jdk` ÷ `mtls-boringssl`
				in requests/s, run by run): %s. `mtls-l7` is the `mtls-boringssl` server called by a caller whose
				intention is one L7 permission (`GET /count*`), divided by `mtls-boringssl` run by run.

				%s""", results.get("plaintext").get(0).responseBytes(), plan.concurrency(), plan.concurrency(),
				plan.callWarmup().toSeconds(), plan.callRuns(), plan.callMeasure().toSeconds(),
				serverOpenSsl ? "in use" : "**not available, the server fell back to the JDK**", jsse.format("%.2f"),
				table);
		suite.report().section("meshCalls", "1. Mesh calls: `dashboard → counting`", Report.object("concurrency",
				plan.concurrency(), "warmupSeconds", plan.callWarmup().toSeconds(), "measuredSeconds",
				plan.callMeasure().toSeconds(), "serverOpenSsl", serverOpenSsl, "modes", modes), markdown);
	}

	/** The target for each mesh mode, mTLS + authorization ÷ the same stack's plaintext. */
	private static final Map<String, Double> TARGETS = Map.of("mtls-jdk", 0.70, "mtls-boringssl", 0.80, "mvc-mtls",
			0.75, "mtls-l7", 0.97);

	private static final Map<String, String> TARGET_NAMES = Map.of("mtls-jdk",
			"mTLS + authorization ÷ plaintext, JDK", "mtls-boringssl", "mTLS + authorization ÷ plaintext, BoringSSL",
			"mvc-mtls", "mTLS + authorization ÷ plaintext, Spring MVC on Tomcat (JSSE)", "mtls-l7",
			"one L7 rule in force ÷ L4 only (BoringSSL, same server)");

	/** The mode a mode is divided by: the plaintext of its own web stack, or the L4-only calls for the L7 mode. */
	private static String baseline(String mode) {
		if (mode.equals("mtls-l7")) {
			return "mtls-boringssl";
		}
		return mode.startsWith("mvc-") ? "mvc-plaintext" : "plaintext";
	}

	private static final Context UPSTREAM = Context.of(MeshHttpClients.UPSTREAM_SERVICE, "counting");

	/** The load generator's client for a mode: plain, or mesh mTLS with the JDK's or BoringSSL's TLS. */
	static HttpClient client(String mode, HttpClient base, CertificateSource dashboard, int port) {
		if (mode.endsWith("plaintext")) {
			return base;
		}
		UpstreamAddressBook upstreams = new UpstreamAddressBook();
		upstreams.expect("127.0.0.1", port, UpstreamIdentity.of("dc1", "counting"));
		return MeshHttpClients.secure(base, dashboard, upstreams, mode.equals("mtls-jdk") ? SslProvider.JDK : SslProvider.OPENSSL);
	}

	static String url(String mode, int port) {
		return (mode.endsWith("plaintext") ? "http" : "https") + "://127.0.0.1:" + port + "/count";
	}

	/** Each worker calls in a loop, one call at a time, for the given time; every call is recorded. */
	static Stats load(HttpClient client, String url, Duration duration, int concurrency) {
		long end = System.nanoTime() + duration.toNanos();
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
							else {
								recorder.record(System.nanoTime() - begin);
								bytes.addAndGet(length);
							}
						})
						.onErrorResume((error) -> {
							errors.incrementAndGet();
							return Mono.empty();
						})
						// As the starter's load-balanced calls do: the mesh client then checks, request by request, that
						// the connection proved this service (plaintext ignores it).
						.contextWrite(UPSTREAM);
				}).repeat(() -> System.nanoTime() < end).then(Mono.fromCallable(recorder::values));
			}, concurrency)
			.collectList()
			.block(duration.plusSeconds(60));
		long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
		if (all.length == 0) {
			throw new IllegalStateException("No call succeeded against " + url + " (" + errors.get() + " errors)");
		}
		return new Stats(all.length / (duration.toNanos() / 1e9), BenchmarkSupport.percentile(all, 50),
				BenchmarkSupport.percentile(all, 90), BenchmarkSupport.percentile(all, 99), errors.get(),
				bytes.get() / all.length);
	}

	private static Spread spread(List<Stats> runs, java.util.function.ToDoubleFunction<Stats> value) {
		return new Spread(runs.stream().mapToDouble(value).toArray());
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

	record Stats(double throughput, long p50, long p90, long p99, long errors, long responseBytes) {

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "%,.0f req/s  p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  errors %d",
					this.throughput, this.p50 / 1e6, this.p90 / 1e6, this.p99 / 1e6, this.errors);
		}

	}

}
