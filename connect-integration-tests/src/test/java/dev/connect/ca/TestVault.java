package dev.connect.ca;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

import dev.connect.test.VaultPkiTestServer;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Vault these tests run against: {@code vault server -dev} where a {@code vault} binary is on the PATH (as
 * Consul's tests run it), otherwise the in-repository {@link VaultPkiTestServer}. The log says which ran. Tests
 * that need the test server's knobs (its clock, stopping it, expiring a token) call {@link #testServer()}, which
 * skips them against the real binary.
 */
final class TestVault implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(TestVault.class.getName());

	private final VaultPkiTestServer server;

	private final Process process;

	private final URI address;

	private final String rootToken;

	private TestVault(VaultPkiTestServer server, Process process, URI address, String rootToken) {
		this.server = server;
		this.process = process;
		this.address = address;
		this.rootToken = rootToken;
	}

	static TestVault start(Clock clock) {
		Optional<Path> binary = binary();
		if (binary.isPresent()) {
			return real(binary.get());
		}
		logger.log(System.Logger.Level.INFO, "No vault binary on PATH: running against VaultPkiTestServer");
		VaultPkiTestServer server = VaultPkiTestServer.start(clock);
		return new TestVault(server, null, server.address(), server.rootToken());
	}

	private static Optional<Path> binary() {
		String path = System.getenv("PATH");
		if (path == null) {
			return Optional.empty();
		}
		return Arrays.stream(path.split(java.io.File.pathSeparator))
			.map((dir) -> Path.of(dir, "vault"))
			.filter(Files::isExecutable)
			.findFirst();
	}

	private static TestVault real(Path binary) {
		try {
			int port;
			try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
				port = socket.getLocalPort();
			}
			String token = "root";
			Process process = new ProcessBuilder(binary.toString(), "server", "-dev", "-dev-root-token-id", token,
					"-dev-listen-address", "127.0.0.1:" + port, "-dev-no-store-token")
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			URI address = URI.create("http://127.0.0.1:" + port);
			awaitHealthy(address, process);
			logger.log(System.Logger.Level.INFO, "Running against vault server -dev ({0}) at {1}", binary, address);
			return new TestVault(null, process, address, token);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Unable to start " + binary, ex);
		}
	}

	private static void awaitHealthy(URI address, Process process) {
		HttpClient http = HttpClient.newHttpClient();
		Instant deadline = Instant.now().plusSeconds(30);
		while (Instant.now().isBefore(deadline) && process.isAlive()) {
			try {
				HttpResponse<String> health = http.send(HttpRequest.newBuilder(address.resolve("/v1/sys/health")).build(),
						HttpResponse.BodyHandlers.ofString());
				if (health.statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// Not listening yet.
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		process.destroyForcibly();
		throw new IllegalStateException("vault server -dev did not become healthy at " + address);
	}

	URI address() {
		return this.address;
	}

	String rootToken() {
		return this.rootToken;
	}

	/** A token for the agent, with a TTL and renewable. */
	String createToken(Duration ttl) {
		if (this.server != null) {
			return this.server.createToken(ttl, true);
		}
		try {
			HttpResponse<String> created = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(this.address.resolve("/v1/auth/token/create"))
					.header("X-Vault-Token", this.rootToken)
					.POST(HttpRequest.BodyPublishers.ofString("{\"ttl\":\"" + ttl.toSeconds() + "s\",\"renewable\":true,"
							+ "\"policies\":[\"root\"]}"))
					.build(), HttpResponse.BodyHandlers.ofString());
			return JsonMapper.builder().build().readTree(created.body()).get("auth").get("client_token").asString();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Unable to create a Vault token", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	boolean isTestServer() {
		return this.server != null;
	}

	/** The test server, for tests that need its knobs; skips the test against a real vault binary. */
	VaultPkiTestServer testServer() {
		Assumptions.assumeTrue(this.server != null, "needs VaultPkiTestServer's knobs; a real vault binary is running");
		return this.server;
	}

	@Override
	public void close() {
		if (this.server != null) {
			this.server.close();
		}
		if (this.process != null) {
			this.process.destroy();
		}
	}

}
