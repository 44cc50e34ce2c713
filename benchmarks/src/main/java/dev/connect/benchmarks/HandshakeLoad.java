package dev.connect.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import reactor.netty.http.client.HttpClient;

/**
 * New connections with a full mutual-TLS handshake against one mode's counting server, for as long as asked, for
 * profiling the server: it prints the server's process ID, then every 5 s the rate and the server's CPU per
 * connection. Extra server JVM options as for the suite ({@code -Dserver.jvmArgs=...}).
 * <pre>
 * java -Dserver.jvmArgs=-XX:+PreserveFramePointer -cp benchmarks/target/benchmarks.jar \
 *     dev.connect.benchmarks.HandshakeLoad mtls-boringssl 120
 * </pre>
 */
public final class HandshakeLoad {

	private HandshakeLoad() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 2 || !MeshCalls.MODES.contains(args[0])) {
			throw new IllegalArgumentException("Arguments must be a mode (" + String.join(", ", MeshCalls.MODES)
					+ ") and the seconds to run, not " + List.of(args));
		}
		String mode = args[0];
		long seconds = Long.parseLong(args[1]);
		try (Suite suite = new Suite(Plan.full())) {
			CountingServerProcess server = suite.server(mode);
			System.out.println("HANDSHAKE_LOAD server pid=" + server.pid() + " port=" + server.port() + " openssl="
					+ server.openSsl());
			HttpClient client = MeshCalls.client(mode, HttpClient.newConnection(),
					new Handshakes.NoResumption(suite.dashboard()), server.port());
			Duration window = Duration.ofSeconds(5);
			for (long done = 0; done < seconds; done += window.toSeconds()) {
				Duration cpuBefore = server.cpuTime();
				long[] counts = Handshakes.connections(client, MeshCalls.url(mode, server.port()), suite.plan().concurrency(),
						window);
				double cpuMicros = server.cpuTime().minus(cpuBefore).toNanos() / 1e3 / Math.max(1, counts[0]);
				System.out.printf(Locale.ROOT, "%,.0f connections/s, server CPU %.0f us per connection, errors %d%n",
						counts[0] / (double) window.toSeconds(), cpuMicros, counts[1]);
			}
		}
	}

}
