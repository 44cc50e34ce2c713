package dev.connect.benchmarks;

import java.time.Duration;

import dev.connect.autoconfigure.client.ConnectClientProperties;

/**
 * How long and how often each part of a {@link BenchmarkSuite} run measures. {@link #full()} fits in 15 minutes on
 * 2 cores and {@link #quick()} in 2; both take every figure at least 3 times.
 * @param name {@code full} or {@code quick}
 * @param runs measured runs per figure (medians and spreads come from these) where not said otherwise
 * @param callRuns measured runs of the calls part (each one window per mode)
 * @param rotationRuns measured runs of the rotation part
 * @param concurrency calls in flight from the load generator
 * @param callWarmup unrecorded calls per mode before the first measured run
 * @param callMeasure one measured run of one mode
 * @param handshakeWarmup unrecorded new connections per mode before the first measured run
 * @param handshakeMeasure one measured run of new connections
 * @param flips intention flips per run (deny on a kept-alive and on a new connection each)
 * @param rotations root rotations per run of the rotation benchmark
 * @param rotationJitter the dev agent's window for re-issuing leaves after a root rotation
 * @param rotationSpacing the time from one root rotation to the next (at least the jitter)
 * @param rotationSteady the steady-state window before (and after) the rotations
 * @param rotationDrain the mesh client's drain time after a rotation (the starter's default in full runs)
 * @param fanoutQueries blocked queries woken by one change
 * @param authorizeRequests sequential authorize calls per run
 * @param heapServices services registered per heap measurement
 * @param jmhForks JMH forks per benchmark (each fork is one run)
 * @param jmhWarmups JMH warm-up iterations per fork
 * @param jmhIterations JMH measured iterations per fork
 * @param jmhIteration one JMH iteration
 */
record Plan(String name, int runs, int callRuns, int rotationRuns, int concurrency, Duration callWarmup, Duration callMeasure,
		Duration handshakeWarmup, Duration handshakeMeasure, int flips, int rotations, Duration rotationJitter,
		Duration rotationSpacing, Duration rotationSteady, Duration rotationDrain, int fanoutQueries, int authorizeRequests, int heapServices, int jmhForks,
		int jmhWarmups, int jmhIterations, Duration jmhIteration) {

	static Plan full() {
		return new Plan("full", 3, 9, 5, 16, Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(60),
				Duration.ofSeconds(5), 20, 3, Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(8),
				new ConnectClientProperties().getRotationDrainTime(), 10_000,
				10_000, 3_000, 3, 2, 3, Duration.ofSeconds(1));
	}

	static Plan quick() {
		return new Plan("quick", 3, 3, 3, 16, Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(2),
				Duration.ofSeconds(1), 3, 1, Duration.ofSeconds(1), Duration.ofMillis(1200), Duration.ofSeconds(1),
				Duration.ofSeconds(1), 1_000,
				1_000, 500, 3, 1, 1, Duration.ofMillis(300));
	}

	boolean isQuick() {
		return this.name.equals("quick");
	}

}
