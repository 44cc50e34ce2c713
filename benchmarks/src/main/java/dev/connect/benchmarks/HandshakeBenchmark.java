package dev.connect.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.client.AgentCertificateSource;
import dev.connect.tls.MeshHttpClients;
import dev.connect.tls.UpstreamAddressBook;
import io.netty.handler.ssl.SslProvider;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * New connections per second, each with a full mutual-TLS handshake (TLS 1.3, ECDSA P-256 leaves, X25519), against
 * the counting app with the starter in its own JVM, and the bound the machine's ECDSA speed allows, measured in the
 * same run: {@code openssl speed ecdsap256} and the JDK's own SHA256withECDSA sign and verify rates. A mutual
 * handshake costs two signatures (one per side) and, with the chains validated on both sides, four verifications
 * (the peer's leaf under the root, the peer's CertificateVerify), all on the same cores here. (A chain seen before is
 * not verified again: the JDK's certificate factory hands back its cached, already verified object.) The server's
 * CPU time per connection comes from its process.
 * The same app in plaintext, one connection per request, is the baseline for what a connection costs without TLS.
 * <pre>
 * java -Xms1g -Xmx1g -cp benchmarks/target/benchmarks.jar dev.connect.benchmarks.HandshakeBenchmark [--seconds=15]
 *     [--warmup=40] [--concurrency=16] [--modes=plaintext,mtls-boringssl,mtls-jdk]
 * </pre>
 */
public final class HandshakeBenchmark {

	private HandshakeBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int seconds = 15;
		int warmup = 40;
		int concurrency = 16;
		String[] modes = { "plaintext", "mtls-boringssl", "mtls-jdk" };
		for (String arg : args) {
			if (arg.startsWith("--seconds=")) {
				seconds = Integer.parseInt(arg.substring(10));
			}
			else if (arg.startsWith("--warmup=")) {
				warmup = Integer.parseInt(arg.substring(9));
			}
			else if (arg.startsWith("--modes=")) {
				modes = arg.substring(8).split(",");
			}
			else if (arg.startsWith("--concurrency=")) {
				concurrency = Integer.parseInt(arg.substring(14));
			}
			else {
				throw new IllegalArgumentException("Argument '" + arg + "' must be --seconds=<n>, --warmup=<n>, --concurrency=<n> or --modes=<list>");
			}
		}
		int cores = Runtime.getRuntime().availableProcessors();
		double[] openssl = opensslSpeed();
		double[] jdk = jdkSpeed();
		System.out.printf(Locale.ROOT, "ECDSA P-256 on one core: openssl %,.0f sign/s, %,.0f verify/s; JDK %,.0f sign/s, %,.0f verify/s%n",
				openssl[0], openssl[1], jdk[0], jdk[1]);
		double opensslBound = cores / (2 / openssl[0] + 4 / openssl[1]);
		try (DevAgent agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0))) {
			BenchmarkSupport.intention(agent, "dashboard", "counting", "allow");
			for (String mode : modes) {
				try (CountingServerProcess server = CountingServerProcess.start(agent.httpAddress(), mode)) {
					AgentCertificateSource dashboard = BenchmarkSupport.identity(agent, "dashboard");
					UpstreamAddressBook upstreams = new UpstreamAddressBook();
					upstreams.expect("127.0.0.1", server.port(), "counting");
					boolean plaintext = mode.equals("plaintext");
					HttpClient client = plaintext ? HttpClient.newConnection()
							: MeshHttpClients.secure(HttpClient.newConnection(), dashboard, upstreams,
									mode.equals("mtls-jdk") ? SslProvider.JDK : SslProvider.OPENSSL);
					String url = (plaintext ? "http" : "https") + "://127.0.0.1:" + server.port() + "/count";
					run(client, url, concurrency, warmup);
					Duration cpuBefore = server.cpuTime();
					long[] counts = run(client, url, concurrency, seconds);
					double rate = counts[0] / (double) seconds;
					double serverCpuMicros = server.cpuTime().minus(cpuBefore).toNanos() / 1e3 / Math.max(1, counts[0]);
					if (plaintext) {
						System.out.printf(Locale.ROOT,
								"%s: %,.0f new connections/s (one request each, no TLS), server CPU %.0f us per connection, errors %d%n",
								mode, rate, serverCpuMicros, counts[1]);
						dashboard.dispose();
						continue;
					}
					System.out.printf(Locale.ROOT,
							"%s: %,.0f new connections/s (each a full mTLS handshake and one request), server CPU %.0f us per "
									+ "connection, errors %d; bound from openssl's ECDSA speed %,.0f/s -> ratio %.2f%n",
							mode, rate, serverCpuMicros, counts[1], opensslBound, rate / opensslBound);
					dashboard.dispose();
				}
			}
		}
	}

	private static long[] run(HttpClient client, String url, int concurrency, int seconds) {
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		AtomicLong done = new AtomicLong();
		AtomicLong errors = new AtomicLong();
		Flux.range(0, concurrency)
			.flatMap((worker) -> Mono.defer(() -> client.get().uri(url)
				.responseSingle((response, body) -> body.asByteArray().map((ignored) -> response.status().code()))
				.doOnNext((status) -> (status == 200 ? done : errors).incrementAndGet())
				.onErrorResume((error) -> {
					errors.incrementAndGet();
					return Mono.empty();
				}))
				.repeat(() -> System.nanoTime() < end)
				.then(), concurrency)
			.blockLast(Duration.ofSeconds(seconds + 60));
		return new long[] { done.get(), errors.get() };
	}

	/** Sign and verify per second on one core, from {@code openssl speed -seconds 3 ecdsap256}. */
	static double[] opensslSpeed() throws Exception {
		Process process = new ProcessBuilder("openssl", "speed", "-seconds", "3", "ecdsap256").redirectErrorStream(true)
			.start();
		Pattern line = Pattern.compile("256 bits ecdsa \\(nistp256\\)\\s+\\S+\\s+\\S+\\s+([\\d.]+)\\s+([\\d.]+)");
		try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			for (String text = output.readLine(); text != null; text = output.readLine()) {
				Matcher matcher = line.matcher(text);
				if (matcher.find()) {
					return new double[] { Double.parseDouble(matcher.group(1)), Double.parseDouble(matcher.group(2)) };
				}
			}
		}
		finally {
			process.waitFor(30, TimeUnit.SECONDS);
		}
		throw new IllegalStateException("openssl speed ecdsap256 printed no result");
	}

	/** The JDK's SHA256withECDSA sign and verify per second on one core (2 s warm-up, 3 s each). */
	static double[] jdkSpeed() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		KeyPair key = generator.generateKeyPair();
		byte[] data = new byte[64];
		Signature signer = Signature.getInstance("SHA256withECDSA");
		Signature verifier = Signature.getInstance("SHA256withECDSA");
		byte[] signature = null;
		double[] rates = new double[2];
		for (int round = 0; round < 2; round++) {
			long seconds = (round == 0) ? 2 : 3;
			long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
			long signs = 0;
			while (System.nanoTime() < end) {
				signer.initSign(key.getPrivate());
				signer.update(data);
				signature = signer.sign();
				signs++;
			}
			end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
			long verifies = 0;
			while (System.nanoTime() < end) {
				verifier.initVerify(key.getPublic());
				verifier.update(data);
				if (!verifier.verify(signature)) {
					throw new IllegalStateException("signature did not verify");
				}
				verifies++;
			}
			rates[0] = signs / (double) seconds;
			rates[1] = verifies / (double) seconds;
		}
		return rates;
	}

}
