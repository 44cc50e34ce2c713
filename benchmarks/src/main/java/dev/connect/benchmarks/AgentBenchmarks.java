package dev.connect.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The {@code agent} part (section 6 of the results), the dev agent: leaves issued per second (JMH, {@link LeafIssuanceBenchmark}), one change fanned out to
 * many blocked queries, authorize latency over loopback and heap per registered service. These run over real
 * loopback sockets; the agent runs in its own JVM ({@code -Xmx512m}, started from this jar) except for the heap
 * measurement, which needs the agent's heap in this JVM.
 */
final class AgentBenchmarks {

	private AgentBenchmarks() {
	}

	static void measure(Suite suite) throws Exception {
		Plan plan = suite.plan();
		BenchmarkSuite.progress("agent: leaf issuance, JMH, " + plan.jmhForks() + " forks, 2 threads");
		Spread leaves = Jmh.run(plan, LeafIssuanceBenchmark.class, 2, "rootKey", "ec-256").get("issueLeaf");
		double[][] fanout;
		double[][] authorize;
		try (AgentProcess agent = AgentProcess.start()) {
			fanout = fanout(agent, plan.fanoutQueries(), plan.runs());
			authorize = authorize(agent, plan.authorizeRequests(), plan.runs());
		}
		Spread heap = heap(plan.heapServices(), plan.runs());
		Spread fanoutP50 = Spread.of(fanout[0]);
		Spread fanoutP99 = Spread.of(fanout[1]);
		Spread fanoutLast = Spread.of(fanout[2]);
		Spread fanoutCpu = Spread.of(fanout[3]);
		long unanswered = (long) java.util.Arrays.stream(fanout[4]).sum();
		Spread authorizeP50 = Spread.of(authorize[0]);
		Spread authorizeP99 = Spread.of(authorize[1]);
		Spread authorizeRate = Spread.of(authorize[2]);
		Report report = suite.report();
		report.target("dev agent leaf issuance, 2 threads", "≥ 1,000 leaves/s", leaves.format("%,.0f /s"), leaves.median() >= 1000);
		report.target(String.format(Locale.ROOT, "one change → all %,d blocked queries answered (warm)", plan.fanoutQueries()),
				"≤ 1,000 ms, none missed", fanoutLast.format("%,.0f ms") + (unanswered > 0 ? ", " + unanswered + " unanswered" : ""),
				fanoutLast.median() <= 1000 && unanswered == 0);
		report.target("dev agent heap per registered Connect service", "≤ 4,096 bytes", heap.format("%,.0f bytes"),
				heap.median() <= 4096);
		report.section("devAgent", "6. Dev agent", Report.object("leavesPerSecond", leaves, "fanout", Report.object(
				"queries", plan.fanoutQueries(), "coldLastAnswerMs", fanout[5][0], "p50Ms", fanoutP50, "p99Ms", fanoutP99,
				"lastAnswerMs", fanoutLast, "agentCpuMicrosPerAnswer", fanoutCpu, "unanswered", unanswered),
				"authorize", Report.object("requestsPerRun", plan.authorizeRequests(), "sequentialP50Micros",
						authorizeP50, "sequentialP99Micros", authorizeP99, "concurrency8PerSecond", authorizeRate),
				"heapBytesPerService", heap), String.format(Locale.ROOT, """
						- Leaf issuance: a fresh P-256 key, the certificate built and signed by an EC P-256 root, as a
						  leaf request does on a cache miss (CSR rate limit off); JMH, 2 threads, %d forks.
						- Fan-out: %,d clients block on `GET /v1/health/connect/fan?index=N&wait=5m`, then one
						  registration changes the service; time from that write to each answer. The first round ever
						  is cold (%,.0f ms to the last answer) and not counted; then %d warm rounds.
						- Authorize: `POST /v1/agent/connect/authorize` with an allow intention, one keep-alive
						  connection, %,d sequential calls per run after a warm-up, then as many at concurrency 8.
						- Heap: an in-process agent; %,d Connect-native services with a TTL check (10 m, so none
						  expires while measuring) registered over HTTP per run, used heap after full GCs before and
						  after.

						| Figure | Median (spread) |
						|---|---|
						| leaves issued per second, 2 threads | %s |
						| fan-out to %,d blocked queries: p50 / p99 / last answer | %s / %s / %s |
						| agent CPU per woken query | %s |
						| authorize over loopback, sequential p50 / p99 | %s / %s |
						| authorize at concurrency 8 | %s |
						| heap per registered service | %s |

						The load generators share the 2 cores with the agent, so every figure includes their cost.
						""", plan.jmhForks(), plan.fanoutQueries(), fanout[5][0], plan.runs(), plan.authorizeRequests(),
						plan.heapServices(), leaves.format("%,.0f"), plan.fanoutQueries(), fanoutP50.format("%,.0f ms"),
						fanoutP99.format("%,.0f ms"), fanoutLast.format("%,.0f ms"), fanoutCpu.format("%,.0f µs"),
						authorizeP50.format("%,.0f µs"), authorizeP99.format("%,.0f µs"), authorizeRate.format("%,.0f req/s"),
						heap.format("%,.0f bytes")));
	}

	/**
	 * One change, N blocked health queries, a cold round then {@code runs} warm ones. Returns, per warm run: p50,
	 * p99 and last answer in ms, agent CPU per answer in µs, unanswered queries; and [5][0] the cold round's last
	 * answer.
	 */
	static double[][] fanout(AgentProcess agent, int queries, int runs) throws Exception {
		HttpClient client = client(agent.address(), queries + 100);
		register(client, "fan-0", 1);
		double[][] figures = new double[6][runs];
		for (int round = 0; round <= runs; round++) {
			double[] result = fanoutRound(agent, client, queries, round);
			BenchmarkSuite.progress(String.format(Locale.ROOT, "agent: fan-out round %d%s: last answer %.0f ms", round,
					(round == 0) ? " (cold)" : "", result[2]));
			if (round == 0) {
				figures[5][0] = result[2];
			}
			else {
				for (int i = 0; i < 5; i++) {
					figures[i][round - 1] = result[i];
				}
			}
		}
		return figures;
	}

	private static double[] fanoutRound(AgentProcess agent, HttpClient client, int queries, int round)
			throws Exception {
		long index = Long.parseLong(client.get().uri("/v1/health/connect/fan")
			.responseSingle((response, content) -> Mono.just(response.responseHeaders().get("X-Consul-Index")))
			.block());
		CountDownLatch sent = new CountDownLatch(queries);
		long[] answeredAt = new long[queries];
		CountDownLatch done = new CountDownLatch(queries);
		HttpClient counting = client.doAfterRequest((request, connection) -> sent.countDown());
		for (int i = 0; i < queries; i++) {
			int slot = i;
			counting.get()
				.uri("/v1/health/connect/fan?index=" + index + "&wait=5m")
				.responseSingle((response, content) -> content.asString())
				.subscribe((answer) -> {
					answeredAt[slot] = System.nanoTime();
					done.countDown();
				}, (error) -> done.countDown());
		}
		if (!sent.await(120, TimeUnit.SECONDS)) {
			throw new IllegalStateException("Only " + (queries - sent.getCount()) + " queries were sent");
		}
		Thread.sleep(500);
		Duration agentCpuBefore = agent.cpuTime();
		long changedAt = System.nanoTime();
		register(client, "fan-" + (round + 1), 2 + round);
		done.await(60, TimeUnit.SECONDS);
		Duration agentCpu = agent.cpuTime().minus(agentCpuBefore);
		long[] latencies = Arrays.stream(answeredAt).filter((at) -> at > 0).map((at) -> at - changedAt).sorted().toArray();
		if (latencies.length == 0) {
			throw new IllegalStateException("No blocked query was answered after the change");
		}
		return new double[] { ms(BenchmarkSupport.percentile(latencies, 50)), ms(BenchmarkSupport.percentile(latencies, 99)),
				ms(latencies[latencies.length - 1]), us(agentCpu.toNanos() / queries), queries - latencies.length };
	}

	private static void register(HttpClient client, String id, int port) {
		client.put().uri("/v1/agent/service/register")
			.send(body("{\"ID\":\"" + id + "\",\"Name\":\"fan\",\"Port\":" + port + ",\"Connect\":{\"Native\":true}}"))
			.responseSingle((response, content) -> content.asString())
			.block();
	}

	/** Per run: sequential p50 and p99 (µs) over one keep-alive connection, then req/s at concurrency 8. */
	static double[][] authorize(AgentProcess agent, int requests, int runs) throws Exception {
		HttpClient client = client(agent.address(), 16);
		client.put().uri("/v1/connect/intentions/exact?source=web&destination=db")
			.send(body("{\"Action\":\"allow\"}"))
			.responseSingle((response, content) -> content.asString())
			.block();
		String td = client.get().uri("/v1/agent/connect/ca/roots")
			.responseSingle((response, content) -> content.asString())
			.map((roots) -> roots.replaceAll("(?s).*\"TrustDomain\": \"([^\"]+)\".*", "$1"))
			.block();
		String request = "{\"Target\":\"db\",\"ClientCertURI\":\"spiffe://" + td
				+ "/ns/default/dc/dc1/svc/web\",\"ClientCertSerial\":\"2c\"}";
		Mono<String> call = client.post().uri("/v1/agent/connect/authorize").send(body(request))
			.responseSingle((response, content) -> content.asString());
		for (int i = 0; i < Math.min(5_000, requests); i++) {
			call.block();
		}
		double[][] figures = new double[3][runs];
		for (int run = 0; run < runs; run++) {
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
			long started = System.nanoTime();
			Flux.range(0, requests).flatMap((i) -> call, 8).blockLast();
			figures[0][run] = us(BenchmarkSupport.percentile(latencies, 50));
			figures[1][run] = us(BenchmarkSupport.percentile(latencies, 99));
			figures[2][run] = requests / ((System.nanoTime() - started) / 1e9);
			BenchmarkSuite.progress(String.format(Locale.ROOT, "agent: authorize run %d: p50 %.0f us, p99 %.0f us, %,.0f req/s at 8",
					run + 1, figures[0][run], figures[1][run], figures[2][run]));
		}
		return figures;
	}

	/** Heap growth per service of an in-process agent, per run of N registrations (200 registered first). */
	static Spread heap(int services, int runs) throws Exception {
		try (DevAgent agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0))) {
			HttpClient client = client(agent.httpAddress().replace("http://", ""), 16);
			register(client, 0, 200);
			double[] perService = new double[runs];
			int from = 200;
			for (int run = 0; run < runs; run++) {
				long before = usedHeapAfterGc();
				register(client, from, from + services);
				long after = usedHeapAfterGc();
				from += services;
				perService[run] = (after - before) / (double) services;
				BenchmarkSuite.progress(String.format(Locale.ROOT, "agent: heap run %d: %.0f bytes per service", run + 1,
						perService[run]));
			}
			long count = client.get().uri("/v1/agent/services")
				.responseSingle((response, content) -> content.asString())
				.map((json) -> json.split("\"ID\":", -1).length - 1L)
				.block();
			if (count != from) {
				throw new IllegalStateException("Registered " + from + " services but the agent lists " + count);
			}
			return Spread.of(perService);
		}
	}

	private static void register(HttpClient client, int from, int to) {
		Flux.range(from, to - from).flatMap((i) -> client.put().uri("/v1/agent/service/register")
			.send(body("{\"ID\":\"svc-" + i + "\",\"Name\":\"svc-" + i + "\",\"Port\":" + (10000 + (i % 50000))
					+ ",\"Tags\":[\"v1\"],\"Meta\":{\"team\":\"t" + (i % 10) + "\"},\"Connect\":{\"Native\":true},"
					+ "\"Check\":{\"CheckID\":\"svc-" + i + "-ttl\",\"TTL\":\"10m\",\"Status\":\"passing\","
					+ "\"DeregisterCriticalServiceAfter\":\"10m\"}}"))
			.responseSingle((response, content) -> {
				if (response.status().code() != 200) {
					return content.asString().flatMap((text) -> Mono.error(new IllegalStateException(text)));
				}
				return Mono.just(true);
			}), 4).blockLast();
	}

	private static long usedHeapAfterGc() throws InterruptedException {
		for (int i = 0; i < 3; i++) {
			System.gc();
			Thread.sleep(100);
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	private static HttpClient client(String address, int connections) {
		ConnectionProvider provider = ConnectionProvider.builder("bench")
			.maxConnections(connections)
			.pendingAcquireMaxCount(-1)
			.pendingAcquireTimeout(Duration.ofMinutes(2))
			.build();
		return HttpClient.create(provider).baseUrl("http://" + address)
			.headers((headers) -> headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json"));
	}

	private static ByteBufFlux body(String json) {
		return ByteBufFlux.fromString(Mono.just(json));
	}

	private static double ms(long nanos) {
		return nanos / 1e6;
	}

	private static double us(long nanos) {
		return nanos / 1e3;
	}

	/** A dev agent in its own JVM (fixed 512 MiB heap), started from this jar and stopped on close. */
	static final class AgentProcess implements AutoCloseable {

		private final Process process;

		private final String address;

		private AgentProcess(Process process, String address) {
			this.process = process;
			this.address = address;
		}

		static AgentProcess start() throws IOException {
			List<String> options = new ArrayList<>(List.of("-Xms512m", "-Xmx512m"));
			options.addAll(BenchmarkSupport.extraOptions("agent.jvmArgs", ""));
			BenchmarkSupport.StartedJvm started = BenchmarkSupport.startJvm(options, "dev.connect.agent.DevAgentMain",
					List.of("agent", "-dev", "-http-port", "0"), Pattern.compile("HTTP API: http://(127\\.0\\.0\\.1:\\d+)"),
					Path.of("benchmarks", "target", "agent.log"));
			return new AgentProcess(started.process(), started.ready().group(1));
		}

		String address() {
			return this.address;
		}

		Duration cpuTime() {
			return this.process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
		}

		@Override
		public void close() {
			this.process.destroy();
			try {
				this.process.waitFor(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				this.process.destroyForcibly();
				Thread.currentThread().interrupt();
			}
		}

	}

}
