package dev.connect.benchmarks;

import java.util.Locale;
import java.util.Map;

/** The {@code authorization} part (section 3 of the results): what a cached authorization decision costs, and a miss in process ({@link CachedAuthorizationBenchmark}). */
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
		suite.report().section("cachedAuthorization", "3. Cached authorization decision (JMH, 2 threads)",
				Report.object("threads", 2, "hitNanos", hit, "missNanos", miss), String.format(Locale.ROOT, """
						`CachingAuthorizer.authorize(caller).block()` as the web filter calls it; %d forks of %d × %d ms
						after %d warm-up iterations; the spread is over forks.

						| Path | ns/op |
						|---|---|
						| hit: a cached decision | %s |
						| miss in process: cache invalidated, the delegate answering at once (the agent round trip, section 6, comes on top) | %s |
						""", plan.jmhForks(), plan.jmhIterations(), plan.jmhIteration().toMillis(), plan.jmhWarmups(),
						hit.format("%.1f"), miss.format("%.1f")));
	}

}
