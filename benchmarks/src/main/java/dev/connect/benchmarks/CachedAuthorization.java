package dev.connect.benchmarks;

import java.util.Locale;
import java.util.Map;

/** The {@code authorization} part (section 3 of the results): what a cached authorization decision costs, a miss in process ({@link CachedAuthorizationBenchmark}), and an L7 decision ({@link L7DecisionBenchmark}). */
final class CachedAuthorization {

	private CachedAuthorization() {
	}

	static void measure(Suite suite) throws Exception {
		Plan plan = suite.plan();
		BenchmarkSuite.progress("authorization: JMH, " + plan.jmhForks() + " forks, 2 threads");
		Map<String, Spread> scores = Jmh.run(plan, CachedAuthorizationBenchmark.class, 2);
		Spread hit = scores.get("hit");
		Spread miss = scores.get("miss");
		suite.report().target("cached authorization decision", "≤ 100 ns", hit.format("%.1f ns"), hit.median() <= 100);
		Map<String, Spread> l7 = Jmh.run(plan, L7DecisionBenchmark.class, 2);
		Spread decide = l7.get("decide");
		Spread encoded = l7.get("encodedPath");
		suite.report().target("L7 decision, 10 sources × 5 permissions", "≤ 1 µs", decide.format("%.1f ns"),
				decide.median() <= 1_000);
		suite.report().section("cachedAuthorization", "3. Cached authorization decision (JMH, 2 threads)",
				Report.object("threads", 2, "hitNanos", hit, "missNanos", miss, "l7Nanos", decide, "l7EncodedPathNanos",
						encoded),
				String.format(Locale.ROOT, """
						`CachingAuthorizer.authorize(caller).block()` as the web filter calls it; %d forks of %d × %d ms
						after %d warm-up iterations; the spread is over forks.

						| Path | ns/op |
						|---|---|
						| hit: a cached decision | %s |
						| miss in process: cache invalidated, the delegate answering at once (the agent round trip, section 6, comes on top) | %s |
						| L7 decision (`L7DecisionBenchmark`): 10 sources × 5 permissions, the caller's last permission matching | %s |
						| the same with a percent-encoded path (the path reader's slow path) | %s |
						""", plan.jmhForks(), plan.jmhIterations(), plan.jmhIteration().toMillis(), plan.jmhWarmups(),
						hit.format("%.1f"), miss.format("%.1f"), decide.format("%.1f"), encoded.format("%.1f")));
	}

}
