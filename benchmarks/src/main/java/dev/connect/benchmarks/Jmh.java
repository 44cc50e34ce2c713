package dev.connect.benchmarks;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Runs JMH benchmarks from a {@link BenchmarkSuite} run: one fork per run, each fork's score a run of the spread. */
final class Jmh {

	private Jmh() {
	}

	/**
	 * Runs the benchmarks of a class.
	 * @param plan forks, iterations and their length
	 * @param benchmark the benchmark class
	 * @param threads the threads calling the benchmark method
	 * @param params JMH parameters, as alternating names and values
	 * @return the score of each fork per benchmark method (by method name)
	 */
	static Map<String, Spread> run(Plan plan, Class<?> benchmark, int threads, String... params) throws Exception {
		ChainedOptionsBuilder options = new OptionsBuilder().include(benchmark.getName() + "\\.")
			.forks(plan.jmhForks())
			.threads(threads)
			.warmupIterations(plan.jmhWarmups())
			.warmupTime(TimeValue.milliseconds(plan.jmhIteration().toMillis()))
			.measurementIterations(plan.jmhIterations())
			.measurementTime(TimeValue.milliseconds(plan.jmhIteration().toMillis()))
			.jvmArgs("-Xms512m", "-Xmx512m")
			.shouldFailOnError(true)
			.verbosity(VerboseMode.SILENT);
		for (int i = 0; i < params.length; i += 2) {
			options.param(params[i], params[i + 1]);
		}
		Collection<RunResult> results = new Runner(options.build()).run();
		Map<String, Spread> scores = new LinkedHashMap<>();
		for (RunResult result : results) {
			String method = result.getParams().getBenchmark();
			method = method.substring(method.lastIndexOf('.') + 1);
			scores.put(method, Spread.of(result.getBenchmarkResults().stream()
				.mapToDouble((BenchmarkResult fork) -> fork.getPrimaryResult().getScore())
				.toArray()));
		}
		return scores;
	}

}
