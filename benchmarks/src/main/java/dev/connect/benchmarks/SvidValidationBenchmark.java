package dev.connect.benchmarks;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.connect.agent.ca.CaConfig;
import dev.connect.agent.ca.CertificateAuthority;
import dev.connect.agent.ca.RootCertificate;
import dev.connect.identity.SpiffeId;
import dev.connect.pki.InvalidSvidException;
import dev.connect.pki.PeerRole;
import dev.connect.pki.SvidValidator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of validating a peer chain as an X.509-SVID (PKIX path building plus the SVID rules): paid once per mTLS
 * handshake. {@code direct} is a leaf under the only root; {@code crossSigned} is a leaf of a rotated CA checked
 * against the old root only, through the cross-signed certificate.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SvidValidationBenchmark {

	@Param({ "direct", "crossSigned" })
	public String path;

	private SvidValidator validator;

	private List<X509Certificate> chain;

	@Setup
	public void issue() {
		CertificateAuthority ca = CertificateAuthority.create(CaConfig.defaults().withCsrMaxPerSecond(0), "dc1",
				Clock.systemUTC(), new SecureRandom());
		RootCertificate first = ca.activeRoot();
		if ("crossSigned".equals(this.path)) {
			ca.rotate();
		}
		this.chain = ca.issueLeaf("web").chain();
		this.validator = SvidValidator.of(List.of(first.certificate()), Clock.systemUTC());
	}

	@Benchmark
	public SpiffeId validate() throws InvalidSvidException {
		return this.validator.validate(this.chain, PeerRole.CLIENT);
	}

}
