package dev.connect.benchmarks;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * One change fanned out to many blocked queries, a measurement of the {@code agent} part ({@link AgentBenchmarks}):
 * N clients block on {@code GET /v1/health/connect/fan?index=N&wait=5m}, then one registration changes the
 * service; the time from that write to each answer, and the agent's CPU per answer. The first round ever is cold
 * and reported apart.
 */
final class BlockingQueryFanout {

	private BlockingQueryFanout() {
	}

	/** A cold round, then {@code runs} warm ones over one agent. */
	static Result measure(AgentProcess agent, int queries, int runs) throws Exception {
		HttpClient client = AgentBenchmarks.client(agent.address(), queries + 100);
		register(client, "fan-0", 1);
		double[][] figures = new double[5][runs];
		double coldLastAnswerMs = 0;
		for (int round = 0; round <= runs; round++) {
			double[] result = round(agent, client, queries, round);
			BenchmarkSuite.progress(String.format(Locale.ROOT, "agent: fan-out round %d%s: last answer %.0f ms", round,
					(round == 0) ? " (cold)" : "", result[2]));
			if (round == 0) {
				coldLastAnswerMs = result[2];
			}
			else {
				for (int i = 0; i < 5; i++) {
					figures[i][round - 1] = result[i];
				}
			}
		}
		return new Result(coldLastAnswerMs, Spread.of(figures[0]), Spread.of(figures[1]), Spread.of(figures[2]),
				Spread.of(figures[3]), (long) Arrays.stream(figures[4]).sum());
	}

	/** One round: p50, p99 and last answer in ms, agent CPU per answer in µs, unanswered queries. */
	private static double[] round(AgentProcess agent, HttpClient client, int queries, int round) throws Exception {
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
		return new double[] { AgentBenchmarks.ms(BenchmarkSupport.percentile(latencies, 50)),
				AgentBenchmarks.ms(BenchmarkSupport.percentile(latencies, 99)),
				AgentBenchmarks.ms(latencies[latencies.length - 1]), AgentBenchmarks.us(agentCpu.toNanos() / queries),
				queries - latencies.length };
	}

	private static void register(HttpClient client, String id, int port) {
		client.put().uri("/v1/agent/service/register")
			.send(AgentBenchmarks.body("{\"ID\":\"" + id + "\",\"Name\":\"fan\",\"Port\":" + port
					+ ",\"Connect\":{\"Native\":true}}"))
			.responseSingle((response, content) -> content.asString())
			.block();
	}

	/**
	 * The warm rounds' figures.
	 * @param coldLastAnswerMs the cold round's last answer
	 * @param p50Ms the median answer, per warm round
	 * @param p99Ms the 99th percentile answer, per warm round
	 * @param lastAnswerMs the last answer, per warm round
	 * @param agentCpuMicrosPerAnswer the agent's CPU per woken query, per warm round
	 * @param unanswered the queries left unanswered over all warm rounds
	 */
	record Result(double coldLastAnswerMs, Spread p50Ms, Spread p99Ms, Spread lastAnswerMs,
			Spread agentCpuMicrosPerAnswer, long unanswered) {
	}

}
