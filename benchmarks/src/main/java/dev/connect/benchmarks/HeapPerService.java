package dev.connect.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Locale;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Heap per registered service, a measurement of the {@code agent} part ({@link AgentBenchmarks}): an in-process
 * agent (it needs the agent's heap in this JVM); Connect-native services with a TTL check (10 m, so none expires
 * while measuring) registered over HTTP per run, used heap after full GCs before and after.
 */
final class HeapPerService {

	private HeapPerService() {
	}

	/** Heap growth per service, per run of N registrations (200 registered first). */
	static Spread measure(int services, int runs) throws Exception {
		try (DevAgent agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0))) {
			HttpClient client = AgentBenchmarks.client(agent.httpAddress().replace("http://", ""), 16);
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
			.send(AgentBenchmarks.body("{\"ID\":\"svc-" + i + "\",\"Name\":\"svc-" + i + "\",\"Port\":"
					+ (10000 + (i % 50000)) + ",\"Tags\":[\"v1\"],\"Meta\":{\"team\":\"t" + (i % 10)
					+ "\"},\"Connect\":{\"Native\":true},\"Check\":{\"CheckID\":\"svc-" + i
					+ "-ttl\",\"TTL\":\"10m\",\"Status\":\"passing\",\"DeregisterCriticalServiceAfter\":\"10m\"}}"))
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

}
