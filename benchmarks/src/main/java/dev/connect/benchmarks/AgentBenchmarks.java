package dev.connect.benchmarks;

import java.time.Duration;
import java.util.Locale;

import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The {@code agent} part (section 6 of the results), the dev agent, in four measurements: leaves issued per second
 * (JMH, {@link LeafIssuanceBenchmark}), one change fanned out to many blocked queries ({@link BlockingQueryFanout}),
 * authorize latency over loopback ({@link AuthorizeLatency}) and heap per registered service
 * ({@link HeapPerService}). These run over real loopback sockets; the agent runs in its own JVM ({@code -Xmx512m},
 * started from this jar, {@link AgentProcess}) except for the heap measurement, which needs the agent's heap in
 * this JVM.
 */
final class AgentBenchmarks {

	private AgentBenchmarks() {
	}

	static void measure(Suite suite) throws Exception {
		Plan plan = suite.plan();
		BenchmarkSuite.progress("agent: leaf issuance, JMH, " + plan.jmhForks() + " forks, 2 threads");
		Spread leaves = Jmh.run(plan, LeafIssuanceBenchmark.class, 2, "rootKey", "ec-256").get("issueLeaf");
		BlockingQueryFanout.Result fanout;
		AuthorizeLatency.Result authorize;
		try (AgentProcess agent = AgentProcess.start()) {
			fanout = BlockingQueryFanout.measure(agent, plan.fanoutQueries(), plan.runs());
			authorize = AuthorizeLatency.measure(agent, plan.authorizeRequests(), plan.runs());
		}
		Spread heap = HeapPerService.measure(plan.heapServices(), plan.runs());
		report(suite.report(), plan, leaves, fanout, authorize, heap);
	}

	private static void report(Report report, Plan plan, Spread leaves, BlockingQueryFanout.Result fanout,
			AuthorizeLatency.Result authorize, Spread heap) {
		report.target("dev agent leaf issuance, 2 threads", "≥ 1,000 leaves/s", leaves.format("%,.0f /s"), leaves.median() >= 1000);
		report.target(String.format(Locale.ROOT, "one change → all %,d blocked queries answered (warm)", plan.fanoutQueries()),
				"≤ 1,000 ms, none missed", fanout.lastAnswerMs().format("%,.0f ms")
						+ (fanout.unanswered() > 0 ? ", " + fanout.unanswered() + " unanswered" : ""),
				fanout.lastAnswerMs().median() <= 1000 && fanout.unanswered() == 0);
		report.target("dev agent heap per registered Connect service", "≤ 4,096 bytes", heap.format("%,.0f bytes"),
				heap.median() <= 4096);
		report.section("devAgent", "6. Dev agent", Report.object("leavesPerSecond", leaves, "fanout", Report.object(
				"queries", plan.fanoutQueries(), "coldLastAnswerMs", fanout.coldLastAnswerMs(), "p50Ms", fanout.p50Ms(),
				"p99Ms", fanout.p99Ms(), "lastAnswerMs", fanout.lastAnswerMs(), "agentCpuMicrosPerAnswer",
				fanout.agentCpuMicrosPerAnswer(), "unanswered", fanout.unanswered()),
				"authorize", Report.object("requestsPerRun", plan.authorizeRequests(), "sequentialP50Micros",
						authorize.sequentialP50Micros(), "sequentialP99Micros", authorize.sequentialP99Micros(),
						"concurrency8PerSecond", authorize.concurrency8PerSecond()),
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
						""", plan.jmhForks(), plan.fanoutQueries(), fanout.coldLastAnswerMs(), plan.runs(),
						plan.authorizeRequests(), plan.heapServices(), leaves.format("%,.0f"), plan.fanoutQueries(),
						fanout.p50Ms().format("%,.0f ms"), fanout.p99Ms().format("%,.0f ms"),
						fanout.lastAnswerMs().format("%,.0f ms"), fanout.agentCpuMicrosPerAnswer().format("%,.0f µs"),
						authorize.sequentialP50Micros().format("%,.0f µs"),
						authorize.sequentialP99Micros().format("%,.0f µs"),
						authorize.concurrency8PerSecond().format("%,.0f req/s"), heap.format("%,.0f bytes")));
	}

	/** A client of the agent at an address, with enough pooled connections for the measurement. */
	static HttpClient client(String address, int connections) {
		ConnectionProvider provider = ConnectionProvider.builder("bench")
			.maxConnections(connections)
			.pendingAcquireMaxCount(-1)
			.pendingAcquireTimeout(Duration.ofMinutes(2))
			.build();
		return HttpClient.create(provider).baseUrl("http://" + address)
			.headers((headers) -> headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json"));
	}

	static ByteBufFlux body(String json) {
		return ByteBufFlux.fromString(Mono.just(json));
	}

	static double ms(long nanos) {
		return nanos / 1e6;
	}

	static double us(long nanos) {
		return nanos / 1e3;
	}

}
