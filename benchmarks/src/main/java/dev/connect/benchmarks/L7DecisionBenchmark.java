package dev.connect.benchmarks;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.connect.authz.l7.HttpRequestView;
import dev.connect.authz.l7.L7Decision;
import dev.connect.authz.l7.L7Policy;
import dev.connect.authz.l7.RequestNormalization;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the L7 decision costs per request for a cached caller (target ≤ 1 µs): an entry of 10 sources with 5
 * permissions each (path prefix, exact and regex rules, methods, header matchers), the caller's source found by name
 * and its permissions tried in order until the last one matches. {@code encodedPath} reads a path with escapes, the
 * slow path of the path reader.
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar L7DecisionBenchmark -t 2 -f 2 -wi 3 -w 2s -i 5 -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class L7DecisionBenchmark {

	private L7Policy policy;

	private final Request plain = new Request("GET", "/api/v2/orders/42");

	private final Request encoded = new Request("GET", "/api/v2/%6Frders/42");

	@Setup
	public void setUp() {
		StringBuilder entry = new StringBuilder("{\"Kind\":\"service-intentions\",\"Name\":\"orders\",\"Sources\":[");
		for (int source = 0; source < 10; source++) {
			entry.append(source == 0 ? "" : ",").append("{\"Name\":\"caller-").append(source).append("\",\"Permissions\":[")
				.append("{\"Action\":\"deny\",\"HTTP\":{\"PathPrefix\":\"/admin\"}},")
				.append("{\"Action\":\"allow\",\"HTTP\":{\"PathExact\":\"/health\",\"Methods\":[\"GET\",\"HEAD\"]}},")
				.append("{\"Action\":\"allow\",\"HTTP\":{\"PathPrefix\":\"/api/v1/\",\"Methods\":[\"POST\"]}},")
				.append("{\"Action\":\"deny\",\"HTTP\":{\"PathPrefix\":\"/api/\",\"Header\":[{\"Name\":\"x-debug\",\"Present\":true}]}},")
				.append("{\"Action\":\"allow\",\"HTTP\":{\"PathRegex\":\"/api/v2/[a-z]+/[0-9]+\",\"Methods\":[\"GET\"],")
				.append("\"Header\":[{\"Name\":\"x-env\",\"Exact\":\"prod\",\"IgnoreCase\":true}]}}]}");
		}
		entry.append("]}");
		this.policy = L7Policy.of(JsonMapper.builder().build().readTree(entry.toString()), "http", Boolean.FALSE,
				RequestNormalization.DEFAULT);
		if (!decide().allowed() || !encodedPath().allowed()) {
			throw new IllegalStateException("The benchmark's request must be allowed by its last permission");
		}
	}

	@Benchmark
	public L7Decision decide() {
		return this.policy.decide("caller-5", this.plain);
	}

	@Benchmark
	public L7Decision encodedPath() {
		return this.policy.decide("caller-5", this.encoded);
	}

	/** A request as a web stack's adapter gives it: a method, a raw path and a few headers. */
	private record Request(String method, String rawPath) implements HttpRequestView {

		private static final List<String> PROD = List.of("Prod");

		@Override
		public Set<String> headerNames() {
			return Set.of("host", "accept", "x-env");
		}

		@Override
		public List<String> headerValues(String name) {
			return name.equals("x-env") ? PROD : List.of();
		}

	}

}
