package dev.connect.samples.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The demo's non-Java application: Python's standard {@code http.server}, registered with a
 * {@code Connect.SidecarService} whose upstream is {@code counting}, and a {@code connect-proxy} started with
 * {@code -sidecar-for}. Both are child processes bound to 127.0.0.1, with their output in a temporary directory, and
 * both are stopped by {@link #close()}.
 */
final class PythonSidecar implements AutoCloseable {

	static final String SERVICE = "python-app";

	static final String PAGE = "hello.txt";

	static final String PAGE_TEXT = "Hello from Python's http.server, a plain app that knows nothing of Connect\n";

	private static final Duration STARTUP = Duration.ofSeconds(60);

	private static final Pattern SERVING = Pattern.compile("Serving HTTP on \\S+ port (\\d+)");

	private static final Pattern PROXY_RUNNING = Pattern.compile("==> Connect proxy running");

	private final Path proxyJar;

	private final String agentAddress;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final List<Process> children = new ArrayList<>();

	private Path directory;

	private int appPort;

	private int sidecarPort;

	private int upstreamPort;

	/**
	 * Creates the pair, not started.
	 * @param proxyJar the runnable {@code connect-proxy.jar}
	 * @param agentAddress the agent's HTTP address
	 */
	PythonSidecar(Path proxyJar, String agentAddress) {
		this.proxyJar = proxyJar;
		this.agentAddress = agentAddress;
	}

	/**
	 * Starts {@code python3 -m http.server} on a free loopback port, registers it with its sidecar, starts the
	 * sidecar and waits until the agent reports the sidecar passing.
	 * @return what was started, one line each
	 * @throws Demo.StepFailed naming what could not be started and where its output is
	 */
	String start() throws Exception {
		if (!Files.isRegularFile(this.proxyJar)) {
			throw new Demo.StepFailed("the sidecar's jar '" + this.proxyJar.toAbsolutePath() + "' does not exist: build "
					+ "it with the README's first command (it installs connect-proxy and copies its jar there)");
		}
		this.directory = Files.createTempDirectory("connect-demo-");
		Path site = Files.createDirectories(this.directory.resolve("site"));
		Files.writeString(site.resolve(PAGE), PAGE_TEXT);
		Path pythonLog = this.directory.resolve("python.log");
		launch("python3", pythonLog, "python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory",
				site.toString());
		this.appPort = Integer.parseInt(awaitLine(pythonLog, SERVING, "Python's http.server").group(1));
		this.sidecarPort = freePort();
		this.upstreamPort = freePort();
		register();
		Path proxyLog = this.directory.resolve("proxy.log");
		String java = ProcessHandle.current().info().command().orElse("java");
		launch("connect-proxy", proxyLog, java, "-jar", this.proxyJar.toString(), "-sidecar-for", SERVICE,
				"-http-addr", this.agentAddress);
		awaitLine(proxyLog, PROXY_RUNNING, "the sidecar");
		awaitPassing();
		return "python3 -m http.server on 127.0.0.1:" + this.appPort + " (plain HTTP, no certificate, no Connect)\n"
				+ "connect-proxy -sidecar-for " + SERVICE + ": public mTLS listener 127.0.0.1:" + this.sidecarPort
				+ ", upstream 'counting' on 127.0.0.1:" + this.upstreamPort;
	}

	/**
	 * Returns how many requests reached the Python app, from its log.
	 * @return the number of requests the app answered
	 */
	long appRequests() throws IOException {
		try (Stream<String> lines = Files.lines(this.directory.resolve("python.log"))) {
			return lines.filter((line) -> line.contains("\"GET ")).count();
		}
	}

	/**
	 * Makes the plain HTTP request the Python app would make to reach {@code counting}: to its sidecar's upstream
	 * listener on the loopback address.
	 * @param path the path on counting
	 * @return the answer
	 */
	HttpResponse<String> callCountingAsThePythonApp(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.upstreamPort + path))
			.timeout(Duration.ofSeconds(15))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	int upstreamPort() {
		return this.upstreamPort;
	}

	/**
	 * Stops the children (SIGTERM, then killed after 5 s) and removes their directory unless asked to keep it.
	 * @param keepOutput whether to keep the children's output for a failure's diagnosis
	 */
	void close(boolean keepOutput) {
		for (Process child : this.children) {
			child.destroy();
		}
		for (Process child : this.children) {
			try {
				if (!child.waitFor(5, TimeUnit.SECONDS)) {
					child.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				child.destroyForcibly();
				Thread.currentThread().interrupt();
			}
		}
		this.children.clear();
		if (!keepOutput && this.directory != null) {
			delete(this.directory);
		}
	}

	@Override
	public void close() {
		close(false);
	}

	Path directory() {
		return this.directory;
	}

	private void launch(String name, Path log, String... command) {
		try {
			this.children.add(new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.redirectInput(ProcessBuilder.Redirect.PIPE)
				.start());
		}
		catch (IOException ex) {
			throw new Demo.StepFailed("unable to start " + name + " (" + String.join(" ", command) + "): "
					+ ex.getMessage() + ((name.equals("python3")) ? "; this step needs Python 3 on the PATH" : ""));
		}
	}

	private Matcher awaitLine(Path log, Pattern line, String what) throws Exception {
		Process child = this.children.get(this.children.size() - 1);
		long deadline = System.nanoTime() + STARTUP.toNanos();
		while (System.nanoTime() < deadline) {
			String output = Files.readString(log, StandardCharsets.UTF_8);
			Matcher matcher = line.matcher(output);
			if (matcher.find()) {
				return matcher;
			}
			if (!child.isAlive()) {
				throw new Demo.StepFailed(what + " exited with " + child.exitValue() + ": " + output.strip());
			}
			Thread.sleep(100);
		}
		throw new Demo.StepFailed(what + " did not start within " + STARTUP.toSeconds() + " s; its output is in " + log);
	}

	private void register() throws IOException, InterruptedException {
		// Consul's defaults, with the listening check every second instead of every 10 s so the demo stays short.
		String registration = """
				{"Name":"%s","ID":"%s","Address":"127.0.0.1","Port":%d,"Connect":{"SidecarService":{
				 "Address":"127.0.0.1","Port":%d,
				 "Checks":[{"Name":"Connect Sidecar Listening","TCP":"127.0.0.1:%d","Interval":"1s"},
				           {"Name":"Connect Sidecar Aliasing %s","AliasService":"%s"}],
				 "Proxy":{"Upstreams":[{"DestinationName":"counting","LocalBindAddress":"127.0.0.1","LocalBindPort":%d}]}}}}"""
			.formatted(SERVICE, SERVICE, this.appPort, this.sidecarPort, this.sidecarPort, SERVICE, SERVICE,
					this.upstreamPort);
		HttpResponse<String> response = this.http.send(HttpRequest
			.newBuilder(URI.create(this.agentAddress + "/v1/agent/service/register"))
			.PUT(HttpRequest.BodyPublishers.ofString(registration))
			.build(), HttpResponse.BodyHandlers.ofString());
		Demo.expect(response.statusCode() == 200, "the agent refused the registration: " + response.body());
	}

	private void awaitPassing() throws Exception {
		URI health = URI.create(this.agentAddress + "/v1/health/connect/" + SERVICE + "?passing");
		long deadline = System.nanoTime() + STARTUP.toNanos();
		while (System.nanoTime() < deadline) {
			String body = this.http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString())
				.body();
			if (body.contains("\"" + SERVICE + "-sidecar-proxy\"")) {
				return;
			}
			Thread.sleep(200);
		}
		throw new Demo.StepFailed("the agent did not report the sidecar passing within " + STARTUP.toSeconds() + " s");
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void delete(Path directory) {
		try (Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException ex) {
			// Only temporary output is left behind.
		}
	}

}
