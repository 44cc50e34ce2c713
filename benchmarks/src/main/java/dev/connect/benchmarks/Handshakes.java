package dev.connect.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.connect.tls.CertificateSnapshot;
import dev.connect.tls.CertificateSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * The {@code handshakes} part (section 2 of the results): new connections per second, each with a full mutual-TLS handshake (TLS 1.3, ECDSA P-256 leaves, X25519)
 * and one request, against the counting app of each mode, and the bound the machine's ECDSA speed allows, measured
 * in the same run: {@code openssl speed ecdsap256} and the JDK's own SHA256withECDSA sign and verify rates. A mutual
 * handshake costs two signatures and, with both chains validated, four verifications, all on the same cores here.
 * Every connection is a full handshake: the mesh client resumes TLS sessions made with the same certificate
 * snapshot, so here its certificate source hands out an equal copy of the snapshot each time, which gives every
 * connection a fresh client TLS context with nothing to resume (building it costs the client a little CPU, which
 * shares the cores with the server). The server's CPU per connection comes from its process's CPU time.
 */
final class Handshakes {

	private Handshakes() {
	}

	static void measure(Suite suite) throws Exception {
		Plan plan = suite.plan();
		int cores = Runtime.getRuntime().availableProcessors();
		List<double[]> openssl = new ArrayList<>();
		List<double[]> jdk = new ArrayList<>();
		for (int run = 1; run <= plan.runs(); run++) {
			BenchmarkSuite.progress("handshakes: ECDSA P-256 speed, run " + run);
			openssl.add(opensslSpeed(plan.isQuick() ? 1 : 2));
			jdk.add(jdkSpeed(Duration.ofMillis(plan.isQuick() ? 250 : 2000)));
		}
		Spread opensslSign = Spread.of(openssl.stream().mapToDouble((rates) -> rates[0]).toArray());
		Spread opensslVerify = Spread.of(openssl.stream().mapToDouble((rates) -> rates[1]).toArray());
		Spread jdkSign = Spread.of(jdk.stream().mapToDouble((rates) -> rates[0]).toArray());
		Spread jdkVerify = Spread.of(jdk.stream().mapToDouble((rates) -> rates[1]).toArray());
		Spread bound = Spread.of(openssl.stream().mapToDouble((rates) -> cores / (2 / rates[0] + 4 / rates[1])).toArray());
		Map<String, HttpClient> clients = new LinkedHashMap<>();
		for (String mode : MeshCalls.MODES) {
			CountingServerProcess server = suite.server(mode);
			HttpClient client = MeshCalls.client(mode, HttpClient.newConnection(), new NoResumption(suite.dashboard()),
					server.port());
			clients.put(mode, client);
			BenchmarkSuite.progress("handshakes: warming up " + mode + " for " + plan.handshakeWarmup().toSeconds() + " s");
			connections(client, MeshCalls.url(mode, server.port()), plan.concurrency(), plan.handshakeWarmup());
		}
		Map<String, List<double[]>> results = new LinkedHashMap<>();
		for (int run = 1; run <= plan.runs(); run++) {
			for (String mode : MeshCalls.MODES) {
				CountingServerProcess server = suite.server(mode);
				Duration cpuBefore = server.cpuTime();
				long[] counts = connections(clients.get(mode), MeshCalls.url(mode, server.port()), plan.concurrency(),
						plan.handshakeMeasure());
				double rate = counts[0] / (plan.handshakeMeasure().toNanos() / 1e9);
				double cpuMicros = server.cpuTime().minus(cpuBefore).toNanos() / 1e3 / Math.max(1, counts[0]);
				results.computeIfAbsent(mode, (key) -> new ArrayList<>()).add(new double[] { rate, cpuMicros, counts[1] });
				BenchmarkSuite.progress(String.format(Locale.ROOT,
						"handshakes: run %d %s: %,.0f connections/s, server CPU %.0f us per connection, errors %d", run,
						mode, rate, cpuMicros, counts[1]));
			}
		}
		StringBuilder table = new StringBuilder("| Mode | New connections/s | Server CPU per connection | ÷ openssl's ECDSA bound | Errors |\n"
				+ "|---|---|---|---|---|\n");
		Map<String, Object> modes = new LinkedHashMap<>();
		for (Map.Entry<String, List<double[]>> entry : results.entrySet()) {
			Spread rate = Spread.of(entry.getValue().stream().mapToDouble((values) -> values[0]).toArray());
			Spread cpu = Spread.of(entry.getValue().stream().mapToDouble((values) -> values[1]).toArray());
			long errors = (long) entry.getValue().stream().mapToDouble((values) -> values[2]).sum();
			boolean tls = !entry.getKey().equals("plaintext");
			Spread ratio = tls ? rate.over(bound) : null;
			table.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d |%n", entry.getKey(), rate.format("%,.0f"),
					cpu.format("%,.0f µs"), tls ? ratio.format("%.2f") : "(no TLS)", errors));
			modes.put(entry.getKey(), Report.object("connectionsPerSecond", rate, "serverCpuMicrosPerConnection", cpu,
					"ratioToOpensslBound", ratio, "errors", errors));
			if (errors > 0) {
				suite.report().target("failed connections, " + entry.getKey(), "0", Long.toString(errors), false);
			}
		}
		String markdown = String.format(Locale.ROOT, """
				One request per connection, %d connections at a time; each mode warmed up for %d s, then %d runs of %d s
				interleaved. ECDSA P-256 on one core, measured in the same run: openssl %s sign/s and %s verify/s; the
				JDK %s sign/s and %s verify/s. The bound assumes two signatures and four verifications per mutual
				handshake on %d cores: %s handshakes/s.

				%s""", plan.concurrency(), plan.handshakeWarmup().toSeconds(), plan.runs(),
				plan.handshakeMeasure().toSeconds(), opensslSign.format("%,.0f"), opensslVerify.format("%,.0f"),
				jdkSign.format("%,.0f"), jdkVerify.format("%,.0f"), cores, bound.format("%,.0f"), table);
		suite.report().section("handshakes", "2. New connections with a full mTLS handshake", Report.object(
				"concurrency", plan.concurrency(), "ecdsaP256OneCore", Report.object("opensslSignPerSecond",
						opensslSign, "opensslVerifyPerSecond", opensslVerify, "jdkSignPerSecond", jdkSign,
						"jdkVerifyPerSecond", jdkVerify),
				"opensslBoundHandshakesPerSecond", bound, "modes", modes), markdown);
	}

	/** The caller's material, as a new but equal snapshot on every read: no TLS session outlives one connection. */
	record NoResumption(CertificateSource source) implements CertificateSource {

		@Override
		public CertificateSnapshot current() {
			CertificateSnapshot current = this.source.current();
			return new CertificateSnapshot(current.generation(), current.identity(), current.chain(),
					current.privateKey(), current.roots(), current.trustDomain(), current.validator());
		}

		@Override
		public void onChange(Consumer<CertificateSnapshot> listener) {
			this.source.onChange(listener);
		}

	}

	/** New connections, one request each, for the given time; returns {succeeded, failed}. */
	static long[] connections(HttpClient client, String url, int concurrency, Duration duration) {
		long end = System.nanoTime() + duration.toNanos();
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
			.blockLast(duration.plusSeconds(60));
		return new long[] { done.get(), errors.get() };
	}

	/** Sign and verify per second on one core, from {@code openssl speed -seconds <n> ecdsap256}. */
	static double[] opensslSpeed(int seconds) throws Exception {
		Process process;
		try {
			process = new ProcessBuilder("openssl", "speed", "-seconds", Integer.toString(seconds), "ecdsap256")
				.redirectErrorStream(true)
				.start();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException("The handshake bound needs the 'openssl' command on the PATH: " + ex.getMessage(), ex);
		}
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

	/** The JDK's SHA256withECDSA sign and verify per second on one core (a warm-up round, then a measured one). */
	static double[] jdkSpeed(Duration each) throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		KeyPair key = generator.generateKeyPair();
		byte[] data = new byte[64];
		Signature signer = Signature.getInstance("SHA256withECDSA");
		Signature verifier = Signature.getInstance("SHA256withECDSA");
		double[] rates = new double[2];
		for (int round = 0; round < 2; round++) {
			long nanos = each.toNanos();
			long signs = 0;
			byte[] signature = null;
			for (long end = System.nanoTime() + nanos; System.nanoTime() < end; signs++) {
				signer.initSign(key.getPrivate());
				signer.update(data);
				signature = signer.sign();
			}
			long verifies = 0;
			for (long end = System.nanoTime() + nanos; System.nanoTime() < end; verifies++) {
				verifier.initVerify(key.getPublic());
				verifier.update(data);
				if (!verifier.verify(signature)) {
					throw new IllegalStateException("A signature did not verify");
				}
			}
			rates[0] = signs / (nanos / 1e9);
			rates[1] = verifies / (nanos / 1e9);
		}
		return rates;
	}

}
