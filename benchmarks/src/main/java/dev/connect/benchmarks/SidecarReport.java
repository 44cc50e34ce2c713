package dev.connect.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Section 7 of the results from {@link SidecarProxies}' runs: one table per mode, the memory of each tunnel, and the
 * issue's targets as ratios of the sidecars to the HAProxy pair, paired run by run.
 */
final class SidecarReport {

	private static final int RATE = 0;

	private static final int P50 = 1;

	private static final int P99 = 2;

	private static final int CPU = 3;

	private static final int BULK = 4;

	private static final int CONNECTIONS = 5;

	private static final int ERRORS = 6;

	private static final int LIGHT_P50 = 7;

	private static final int LIGHT_P99 = 8;

	private SidecarReport() {
	}

	/**
	 * @param results per mode, per run: requests/s, p50 ms, p99 ms, tunnel CPU µs per request, bulk MB/s, new
	 * connections/s, failures, then p50 ms and p99 ms at the light load
	 * @param memory per tunnel: RSS and heap idle, then their maxima under load, in bytes (heap -1: not a JVM)
	 */
	static void write(Suite suite, Map<String, List<double[]>> results, Map<String, long[]> memory, long bulkBytes) {
		Plan plan = suite.plan();
		StringBuilder table = new StringBuilder("| Mode | Requests/s | p50 | p99 | p99 added to direct | Tunnel CPU per "
				+ "request | Bulk MB/s | New connections/s | Errors |\n|---|---|---|---|---|---|---|---|---|\n");
		StringBuilder light = new StringBuilder("| Mode | p50 | p99 | p99 added to direct |\n|---|---|---|---|\n");
		Map<String, Object> modes = new LinkedHashMap<>();
		Spread directP99 = spread(results.get("direct"), (run) -> run[P99]);
		Spread directLightP99 = spread(results.get("direct"), (run) -> run[LIGHT_P99]);
		for (Map.Entry<String, List<double[]>> entry : results.entrySet()) {
			List<double[]> runs = entry.getValue();
			Spread added = spread(runs, (run) -> run[P99]).minus(directP99);
			boolean direct = entry.getKey().equals("direct");
			long errors = (long) runs.stream().mapToDouble((run) -> run[ERRORS]).sum();
			table.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %d |%n", entry.getKey(),
					spread(runs, (run) -> run[RATE]).format("%,.0f"), spread(runs, (run) -> run[P50]).format("%.2f ms"),
					spread(runs, (run) -> run[P99]).format("%.2f ms"), direct ? "" : added.format("%.2f ms"),
					direct ? "" : spread(runs, (run) -> run[CPU]).format("%,.0f µs"),
					spread(runs, (run) -> run[BULK]).format("%,.0f"),
					spread(runs, (run) -> run[CONNECTIONS]).format("%,.0f"), errors));
			Spread lightAdded = spread(runs, (run) -> run[LIGHT_P99]).minus(directLightP99);
			light.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", entry.getKey(),
					spread(runs, (run) -> run[LIGHT_P50]).format("%.2f ms"),
					spread(runs, (run) -> run[LIGHT_P99]).format("%.2f ms"), direct ? "" : lightAdded.format("%.2f ms")));
			modes.put(entry.getKey(), Report.object("requestsPerSecond", spread(runs, (run) -> run[RATE]), "p50Ms",
					spread(runs, (run) -> run[P50]), "p99Ms", spread(runs, (run) -> run[P99]), "p99AddedMs",
					direct ? null : added, "tunnelCpuMicrosPerRequest", direct ? null : spread(runs, (run) -> run[CPU]),
					"bulkMegabytesPerSecond", spread(runs, (run) -> run[BULK]), "newConnectionsPerSecond",
					spread(runs, (run) -> run[CONNECTIONS]), "errors", errors, "lightLoadP50Ms",
					spread(runs, (run) -> run[LIGHT_P50]), "lightLoadP99Ms", spread(runs, (run) -> run[LIGHT_P99]),
					"lightLoadP99AddedMs", direct ? null : lightAdded));
			if (errors > 0) {
				suite.report().target("failed requests, " + entry.getKey(), "0", Long.toString(errors), false);
			}
		}
		StringBuilder ratios = new StringBuilder();
		Map<String, Object> ratioJson = new LinkedHashMap<>();
		for (String mode : List.of("sidecars", "sidecars-boringssl")) {
			ratios.append(ratios(suite, mode, results.get(mode), results.get("haproxy"), directP99, directLightP99,
					ratioJson));
		}
		StringBuilder memoryTable = new StringBuilder(
				"| Tunnel (both processes) | RSS idle | Heap used idle | RSS under load (max) | Heap used under load (max) |\n"
						+ "|---|---|---|---|---|\n");
		Map<String, Object> memoryJson = new LinkedHashMap<>();
		for (Map.Entry<String, long[]> entry : memory.entrySet()) {
			if (entry.getKey().equals("direct")) {
				continue;
			}
			long[] bytes = entry.getValue();
			memoryTable.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", entry.getKey(), mib(bytes[0]),
					mib(bytes[1]), mib(bytes[2]), mib(bytes[3])));
			memoryJson.put(entry.getKey(), Report.object("rssIdleBytes", bytes[0], "heapUsedIdleBytes", bytes[1],
					"rssUnderLoadMaxBytes", bytes[2], "heapUsedUnderLoadMaxBytes", bytes[3]));
		}
		String markdown = String.format(Locale.ROOT, """
				The same Reactor Netty client and plain HTTP app (both in the suite's JVM) with nothing between them
				(`direct`), through two `connect-proxy` sidecars (`sidecars`: client → `bench-client`'s upstream
				listener → mTLS → `bench-app`'s public listener, which authorizes the caller, → app; the proxy's
				defaults, the JDK's TLS among them), through two more with `-tls-provider boringssl`
				(`sidecars-boringssl`) and through two HAProxy processes doing the same mutual-TLS tunnel in TCP mode with client
				certificates required and verified (`haproxy`: Debian's package, leaves and roots from the dev agent's
				CLI, `leaf SERVICE -out DIR`; HAProxy checks the chains only, no SPIFFE identity and no intentions).
				Kept-alive: `GET /small` (%d B answers), %d in flight over %d connections, %d s per run. Bulk: one
				`GET` of %d MiB on a new connection. New connections: one request each, %d at a time, %d s per run.
				Each mode warmed up (%d s kept-alive, %d s new connections, one bulk stream), then %d runs with the
				modes interleaved. The tunnel's CPU is both of its processes' CPU time over the kept-alive window.

				%s
				%s
				The same kept-alive calls at a light load, %d in flight over the same connections, %d s per run (no mode
				saturates the cores, so the p99 shows what a tunnel adds rather than CPU queueing):

				%s
				Memory of each pair, idle (after start, before any traffic) and sampled every second under the
				kept-alive load (heap: `jcmd <pid> GC.heap_info`, used; RSS: `/proc/<pid>/status`):

				%s""", Tunnels.SMALL.length, plan.concurrency(), plan.concurrency(), plan.callMeasure().toSeconds(),
				bulkBytes >> 20, plan.concurrency(), plan.handshakeMeasure().toSeconds(), plan.callWarmup().toSeconds(),
				plan.handshakeWarmup().toSeconds(), plan.runs(), table, ratios, SidecarProxies.LIGHT_CONCURRENCY,
				plan.callMeasure().toSeconds(), light, memoryTable);
		suite.report().section("sidecar", "7. Sidecar proxies against a HAProxy pair", Report.object("concurrency",
				plan.concurrency(), "bulkBytes", bulkBytes, "modes", modes, "overHaproxy", ratioJson, "memory",
				memoryJson), markdown);
	}

	/** The targets for one sidecar mode against the HAProxy pair; returns the ratios as a Markdown sentence. */
	private static String ratios(Suite suite, String mode, List<double[]> sidecars, List<double[]> haproxy,
			Spread directP99, Spread directLightP99, Map<String, Object> json) {
		String name = "`" + mode + "` ÷ HAProxy pair, ";
		Spread throughput = ratio(sidecars, haproxy, RATE);
		Spread bulk = ratio(sidecars, haproxy, BULK);
		Spread connections = ratio(sidecars, haproxy, CONNECTIONS);
		Spread haproxyAdded = spread(haproxy, (run) -> run[P99]).minus(directP99);
		Spread addedP99 = spread(sidecars, (run) -> run[P99]).minus(directP99).over(haproxyAdded);
		target(suite, name + "kept-alive requests/s", "≥ 0.80", throughput, throughput.median() >= 0.8);
		target(suite, name + "bulk MB/s", "≥ 0.80", bulk, bulk.median() >= 0.8);
		if (haproxyAdded.median() > 0) {
			target(suite, name + "p99 added to direct", "≤ 1.25", addedP99, addedP99.median() <= 1.25);
		}
		else {
			// A noisy machine can give direct calls the worst tail of the three: then no ratio says anything.
			suite.report().target(name + "p99 added to direct", "≤ 1.25", "not comparable: HAProxy added "
					+ haproxyAdded.format("%.2f ms") + " to direct's p99", false);
		}
		Spread haproxyLightAdded = spread(haproxy, (run) -> run[LIGHT_P99]).minus(directLightP99);
		Spread lightAddedP99 = spread(sidecars, (run) -> run[LIGHT_P99]).minus(directLightP99).over(haproxyLightAdded);
		String lightWhat = name + "p99 added to direct, " + SidecarProxies.LIGHT_CONCURRENCY + " in flight";
		if (haproxyLightAdded.median() > 0) {
			target(suite, lightWhat, "≤ 1.25", lightAddedP99, lightAddedP99.median() <= 1.25);
		}
		else {
			suite.report().target(lightWhat, "≤ 1.25", "not comparable: HAProxy added "
					+ haproxyLightAdded.format("%.2f ms") + " to direct's p99", false);
		}
		target(suite, name + "new connections/s", "≥ 0.50", connections, connections.median() >= 0.5);
		json.put(mode, Report.object("requestsPerSecond", throughput, "bulkMegabytesPerSecond", bulk, "p99Added",
				addedP99, "p99AddedLightLoad", lightAddedP99, "newConnectionsPerSecond", connections));
		return String.format(Locale.ROOT, "Ratios, `%s` ÷ HAProxy pair, run by run: requests/s %s, bulk MB/s %s, p99 "
				+ "added to direct %s (%d in flight: %s), new connections/s %s.%n%n", mode, throughput.format("%.2f"),
				bulk.format("%.2f"), addedP99.format("%.2f"), SidecarProxies.LIGHT_CONCURRENCY,
				lightAddedP99.format("%.2f"), connections.format("%.2f"));
	}

	private static void target(Suite suite, String what, String target, Spread measured, boolean met) {
		suite.report().target(what, target, measured.format("%.2f"), met);
	}

	private static Spread ratio(List<double[]> runs, List<double[]> baseline, int figure) {
		return spread(runs, (run) -> run[figure]).over(spread(baseline, (run) -> run[figure]));
	}

	private static Spread spread(List<double[]> runs, ToDoubleFunction<double[]> figure) {
		return new Spread(runs.stream().mapToDouble(figure).toArray());
	}

	private static String mib(long bytes) {
		return (bytes < 0) ? "(not a JVM)" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
	}

}
