package dev.connect.benchmarks;

import java.io.ByteArrayInputStream;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
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
 * <ul>
 * <li>{@code validate}: the same certificate objects every time. The JDK remembers a successful signature check on
 * the certificate object itself.</li>
 * <li>{@code parsedAgain}: the chain parsed from DER before every validation, as a TLS stack hands it over on each
 * handshake. The JDK's certificate factory returns its cached object for bytes it has seen, so a peer's repeated
 * handshakes do not repeat the signature check either; only a chain never seen before pays for it (about 1 ms of
 * JDK ECDSA P-256 on the benchmark machine).</li>
 * <li>{@code firstSight}: the chain parsed again and validated by a new validator for the same root, which has
 * remembered no chain: PKIX path building and every SVID rule, as for the first handshake of a peer's chain. The
 * two above answer from the validator's memory of accepted chains (after the first call, only the validity periods
 * of the validated path are checked again), as a peer's repeated handshakes do.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SvidValidationBenchmark {

	@Param({ "direct", "crossSigned" })
	public String path;

	private SvidValidator validator;

	private List<X509Certificate> chain;

	private List<byte[]> encoded;

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
		this.encoded = new java.util.ArrayList<>();
		try {
			for (X509Certificate certificate : this.chain) {
				this.encoded.add(certificate.getEncoded());
			}
		}
		catch (java.security.cert.CertificateEncodingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Benchmark
	public SpiffeId validate() throws InvalidSvidException {
		return this.validator.validate(this.chain, PeerRole.CLIENT);
	}

	@Benchmark
	public SpiffeId parsedAgain() throws Exception {
		return this.validator.validate(parsed(), PeerRole.CLIENT);
	}

	@Benchmark
	public SpiffeId firstSight() throws Exception {
		return SvidValidator.of(this.validator.roots(), Clock.systemUTC()).validate(parsed(), PeerRole.CLIENT);
	}

	private List<X509Certificate> parsed() throws Exception {
		CertificateFactory factory = CertificateFactory.getInstance("X.509");
		List<X509Certificate> copies = new java.util.ArrayList<>(this.encoded.size());
		for (byte[] der : this.encoded) {
			copies.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
		}
		return copies;
	}

}
