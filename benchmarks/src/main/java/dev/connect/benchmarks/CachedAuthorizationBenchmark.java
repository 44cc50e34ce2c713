package dev.connect.benchmarks;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.connect.authz.Authorizer;
import dev.connect.authz.CachingAuthorizer;
import dev.connect.authz.Decision;
import dev.connect.identity.SpiffeId;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import reactor.core.publisher.Mono;

/**
 * What an authorization decision costs on the request path once it is cached (target ≤ 100 ns with 2 threads),
 * and what a miss costs in process: the cache invalidated before every call, the delegate answering at once (the
 * agent round trip, measured separately over loopback, comes on top). Both read the decision the way the web filter
 * does, synchronously from the returned {@code Mono}.
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar CachedAuthorizationBenchmark -t 2 -f 2 -wi 3 -w 2s -i 5 -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CachedAuthorizationBenchmark {

	private final SpiffeId caller = SpiffeId
		.parse("spiffe://0b7e3c1a-5d2f-4e8a-9c61-2f4d8a7b9e10.consul/ns/default/dc/dc1/svc/dashboard");

	private CachingAuthorizer authorizer;

	@Setup
	public void setUp() {
		Mono<Decision> allowed = Mono.just(new Decision(true, "Matched L4 intention", false));
		Authorizer agent = (caller) -> allowed;
		this.authorizer = new CachingAuthorizer(agent, Duration.ofMinutes(5), Duration.ofHours(72), Clock.systemUTC());
		this.authorizer.authorize(this.caller).block();
	}

	@Benchmark
	public Decision hit() {
		return this.authorizer.authorize(this.caller).block();
	}

	@Benchmark
	public Decision miss() {
		this.authorizer.invalidateAll();
		return this.authorizer.authorize(this.caller).block();
	}

}
