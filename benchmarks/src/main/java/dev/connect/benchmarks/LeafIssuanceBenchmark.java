package dev.connect.benchmarks;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

import dev.connect.agent.ca.CaConfig;
import dev.connect.agent.ca.CertificateAuthority;
import dev.connect.agent.ca.IssuedLeaf;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Leaves issued per second by the dev agent's CA: a fresh EC P-256 key, the certificate built and signed by the
 * root, as {@code GET /v1/agent/connect/ca/leaf/<service>} does on a cache miss. The CSR rate limit is off so the
 * CA itself is measured. Target: at least 1,000 leaves/s on 2 cores (run with {@code -t 2}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LeafIssuanceBenchmark {

	/** Root key type: leaves are always P-256, but the root's key decides the signing cost. */
	@Param({ "ec-256", "rsa-2048" })
	public String rootKey;

	private CertificateAuthority ca;

	@Setup
	public void createCa() {
		String[] key = this.rootKey.split("-");
		CaConfig config = CaConfig.defaults().withCsrMaxPerSecond(0).withPrivateKey(key[0], Integer.parseInt(key[1]));
		this.ca = CertificateAuthority.create(config, "dc1", Clock.systemUTC(), new SecureRandom());
	}

	@Benchmark
	public IssuedLeaf issueLeaf() {
		return this.ca.issueLeaf("web");
	}

}
