package dev.connect.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.connect.agent.DevAgent;
import io.netty.handler.codec.http.QueryStringDecoder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The {@code sidecar} part's app and the two tunnels in front of it, each a pair of processes that carries plain
 * TCP from a local port over mutual TLS to the app:
 * <ul>
 * <li>{@code sidecars}: two {@code connect-proxy} JVMs ({@code benchmarks/target/connect-proxy.jar}, copied there
 * by the build) started with {@code -sidecar-for}, the JVM options of {@link #PROXY_JVM_OPTIONS} and the proxy's
 * default TLS (the JDK's): {@code bench-client}'s
 * upstream listener to {@code bench-app}'s public listener, which authorizes the caller against intentions before it
 * dials the app;</li>
 * <li>{@code sidecars-boringssl}: the same with {@code -tls-provider boringssl}, as a second pair of services
 * ({@code bench-app-b}, {@code bench-client-b});</li>
 * <li>{@code haproxy}: two HAProxy processes (Debian's {@code haproxy}, which {@code benchmarks/run} installs) in TCP
 * mode, the client side presenting {@code bench-client}'s leaf and verifying the server's chain, the server side
 * requiring and verifying a client certificate; the leaves and roots come from the dev agent through its CLI
 * ({@code leaf SERVICE -out DIR}).</li>
 * </ul>
 * Everything binds 127.0.0.1; output goes to {@code benchmarks/target/sidecar/}.
 */
final class Tunnels implements AutoCloseable {

	static final String APP = "bench-app";

	static final String CLIENT = "bench-client";

	static final byte[] SMALL = "ok: a small answer from the app behind the tunnel, about one hundred bytes long...\n"
		.getBytes(StandardCharsets.US_ASCII);

	private static final byte[] CHUNK = new byte[64 * 1024];

	/**
	 * The JVM options docs/sidecar-proxy.md recommends for a sidecar ("Memory"): a small serial-collected heap and
	 * bounded direct memory, thread stacks, code cache and metaspace.
	 */
	static final List<String> PROXY_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx64m",
			"-XX:MaxDirectMemorySize=32m", "-Xss512k", "-XX:ReservedCodeCacheSize=32m", "-XX:MaxMetaspaceSize=64m");

	/** G1's one line for the whole heap. */
	private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");

	/** The serial and parallel collectors' lines, one per generation ("def new generation", "ParOldGen", ...). */
	private static final Pattern GENERATION_USED = Pattern.compile("(?m)^\\s*[\\w ]*?(?:generation|Gen)\\s+total \\d+K, used (\\d+)K");

	private final List<Tunnel> tunnels = new ArrayList<>();

	private DisposableServer app;

	/** One path to the app: the local port the load generator calls, and the processes on the way. */
	record Tunnel(String mode, int port, List<Process> processes, boolean jvms) {

		Duration cpuTime() {
			Duration total = Duration.ZERO;
			for (Process process : this.processes) {
				total = total.plus(process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO));
			}
			return total;
		}

		/** Resident memory of the processes together, from {@code /proc/<pid>/status}. */
		long rssBytes() throws IOException {
			long total = 0;
			for (Process process : this.processes) {
				for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
					if (line.startsWith("VmRSS:")) {
						total += Long.parseLong(line.replaceAll("\\D", "")) * 1024;
					}
				}
			}
			return total;
		}

		/** Used Java heap of the processes together, from {@code jcmd <pid> GC.heap_info}; -1 when not JVMs. */
		long heapUsedBytes() throws Exception {
			if (!this.jvms) {
				return -1;
			}
			long total = 0;
			for (Process process : this.processes) {
				Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
						Long.toString(process.pid()), "GC.heap_info").redirectErrorStream(true).start();
				String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
				jcmd.waitFor(30, TimeUnit.SECONDS);
				total += usedHeapKiB(output) * 1024;
			}
			return total;
		}

		static long usedHeapKiB(String heapInfo) {
			Matcher heap = HEAP_USED.matcher(heapInfo);
			if (heap.find()) {
				return Long.parseLong(heap.group(1));
			}
			long used = 0;
			boolean found = false;
			Matcher generation = GENERATION_USED.matcher(heapInfo);
			while (generation.find()) {
				used += Long.parseLong(generation.group(1));
				found = true;
			}
			if (!found) {
				throw new IllegalStateException("jcmd GC.heap_info gave no used heap: " + heapInfo);
			}
			return used;
		}

	}

	/**
	 * Starts the app (HTTP on 127.0.0.1: {@code GET /small} answers {@link #SMALL}, {@code GET /bulk?bytes=N}
	 * streams N bytes) and both tunnels to it.
	 */
	static Tunnels start(DevAgent agent, Path directory) throws Exception {
		Files.createDirectories(directory);
		Tunnels tunnels = new Tunnels();
		try {
			tunnels.app = HttpServer.create()
				.host("127.0.0.1")
				.port(0)
				.route((routes) -> routes.get("/small", (request, response) -> response.sendByteArray(Mono.just(SMALL)))
					.get("/bulk", (request, response) -> {
						List<String> size = new QueryStringDecoder(request.uri()).parameters().get("bytes");
						long bytes = (size != null) ? Long.parseLong(size.get(0)) : 0;
						return response.sendByteArray(Flux.range(0, (int) (bytes / CHUNK.length)).map((i) -> CHUNK));
					}))
				.bindNow();
			tunnels.tunnels.add(new Tunnel("direct", tunnels.app.port(), List.of(), false));
			tunnels.tunnels.add(sidecars("sidecars", "", List.of(), agent, tunnels.app.port(), directory));
			tunnels.tunnels.add(sidecars("sidecars-boringssl", "-b", List.of("-tls-provider", "boringssl"), agent,
					tunnels.app.port(), directory));
			tunnels.tunnels.add(haproxies(agent, tunnels.app.port(), directory));
			return tunnels;
		}
		catch (Exception | Error ex) {
			tunnels.close();
			throw ex;
		}
	}

	List<Tunnel> all() {
		return this.tunnels;
	}

	private static Tunnel sidecars(String mode, String suffix, List<String> flags, DevAgent agent, int appPort,
			Path directory) throws Exception {
		String app = APP + suffix;
		String client = CLIENT + suffix;
		int upstream = freePort();
		register(agent, app, appPort, freePort(), "");
		register(agent, client, 1, freePort(), "{\"DestinationName\":\"" + app + "\",\"LocalBindAddress\":\"127.0.0.1\","
				+ "\"LocalBindPort\":" + upstream + "}");
		BenchmarkSupport.intention(agent, client, app, "allow");
		List<Process> processes = new ArrayList<>();
		Tunnel tunnel = new Tunnel(mode, upstream, processes, true);
		try {
			startSidecars(List.of(app, client), flags, agent, directory, processes);
			awaitSidecars(app, agent, upstream);
			return tunnel;
		}
		catch (Exception | Error ex) {
			// Not yet in the list close() stops: stop them here.
			processes.forEach(Process::destroyForcibly);
			throw ex;
		}
	}

	private static void startSidecars(List<String> services, List<String> flags, DevAgent agent, Path directory,
			List<Process> processes) throws IOException {
		Path jar = Path.of("benchmarks", "target", "connect-proxy.jar");
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException("The sidecar part needs " + jar.toAbsolutePath() + ": build it with "
					+ "benchmarks/run (the build copies connect-proxy's jar there)");
		}
		for (String service : services) {
			List<String> command = new ArrayList<>(List.of(BenchmarkSupport.java()));
			command.addAll(PROXY_JVM_OPTIONS);
			// Given after the defaults, so that -Dproxy.jvmArgs=-Xmx256m (for example) wins.
			command.addAll(BenchmarkSupport.extraOptions("proxy.jvmArgs", service));
			command.addAll(List.of("-jar", jar.toString(), "-sidecar-for", service, "-http-addr", agent.httpAddress()));
			command.addAll(flags);
			command.addAll(BenchmarkSupport.extraOptions("proxy.args", service));
			processes.add(BenchmarkSupport.startProcess(command, Pattern.compile("==> Connect proxy running"),
					directory.resolve("proxy-" + service + ".log")).process());
		}
	}

	private static void awaitSidecars(String app, DevAgent agent, int upstream) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!reactor.netty.http.client.HttpClient.create()
			.get()
			.uri(agent.httpAddress() + "/v1/health/connect/" + app + "?passing")
			.responseContent()
			.aggregate()
			.asString()
			.blockOptional(Duration.ofSeconds(10))
			.orElse("")
			.contains(app + "-sidecar-proxy")) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The agent did not report " + app + "'s sidecar passing within 30 s");
			}
			Thread.sleep(200);
		}
		// The client's sidecar learns the instance from its own watch, a moment after the agent reports it.
		while (reactor.netty.http.client.HttpClient.newConnection()
			.get()
			.uri("http://127.0.0.1:" + upstream + "/small")
			.responseSingle((response, body) -> Mono.just(response.status().code()))
			.onErrorResume((error) -> Mono.just(0))
			.blockOptional(Duration.ofSeconds(10))
			.orElse(0) != 200) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("No answer through the sidecars within 30 s: see the proxy-*.log files");
			}
			Thread.sleep(200);
		}
	}

	private static void register(DevAgent agent, String service, int port, int sidecarPort, String upstreams) {
		BenchmarkSupport.put(agent, "/v1/agent/service/register", """
				{"Name":"%s","ID":"%s","Address":"127.0.0.1","Port":%d,"Connect":{"SidecarService":{
				 "Address":"127.0.0.1","Port":%d,
				 "Checks":[{"Name":"Connect Sidecar Listening","TCP":"127.0.0.1:%d","Interval":"1s"},
				           {"Name":"Connect Sidecar Aliasing %s","AliasService":"%s"}],
				 "Proxy":{"Upstreams":[%s]}}}}""".formatted(service, service, port, sidecarPort, sidecarPort, service,
				service, upstreams));
	}

	private static Tunnel haproxies(DevAgent agent, int appPort, Path directory) throws Exception {
		Path certificates = Files.createDirectories(directory.resolve("haproxy-certs"));
		for (String service : List.of(APP, CLIENT)) {
			Path log = directory.resolve("leaf-" + service + ".log");
			Process cli = new ProcessBuilder(BenchmarkSupport.java(), "-cp", System.getProperty("java.class.path"),
					"dev.connect.agent.DevAgentMain", "leaf", service, "-out", certificates.toString(), "-http-addr",
					agent.httpAddress()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
			if (!cli.waitFor(60, TimeUnit.SECONDS) || cli.exitValue() != 0) {
				cli.destroyForcibly();
				throw new IllegalStateException("The agent CLI could not write " + service + "'s leaf: "
						+ Files.readString(log));
			}
			// HAProxy reads the certificate chain and its key from one file.
			Files.writeString(certificates.resolve(service + "-haproxy.pem"),
					Files.readString(certificates.resolve(service + ".pem"))
							+ Files.readString(certificates.resolve(service + "-key.pem")));
		}
		int server = freePort();
		int client = freePort();
		List<Process> processes = new ArrayList<>();
		try {
			startHaproxies(directory, processes, certificates, appPort, server, client);
			awaitListening(server);
			awaitListening(client);
			return new Tunnel("haproxy", client, processes, false);
		}
		catch (Exception | Error ex) {
			processes.forEach(Process::destroyForcibly);
			throw ex;
		}
	}

	private static void startHaproxies(Path directory, List<Process> processes, Path certificates, int appPort,
			int server, int client) throws IOException {
		String ca = certificates.resolve("ca.pem").toString();
		processes.add(haproxy(directory.resolve("haproxy-app.cfg"), String.format("""
				frontend mtls_in
				    bind 127.0.0.1:%d ssl crt %s ca-file %s verify required
				    default_backend app
				backend app
				    server app 127.0.0.1:%d
				""", server, certificates.resolve(APP + "-haproxy.pem"), ca, appPort)));
		processes.add(haproxy(directory.resolve("haproxy-client.cfg"), String.format("""
				frontend local
				    bind 127.0.0.1:%d
				    default_backend mesh
				backend mesh
				    server mesh 127.0.0.1:%d ssl crt %s ca-file %s verify required
				""", client, server, certificates.resolve(CLIENT + "-haproxy.pem"), ca)));
	}

	private static Process haproxy(Path config, String proxies) throws IOException {
		Files.writeString(config, """
				global
				    maxconn 4096
				    ssl-default-bind-options ssl-min-ver TLSv1.2
				    ssl-default-server-options ssl-min-ver TLSv1.2
				defaults
				    mode tcp
				    timeout connect 5s
				    timeout client 1m
				    timeout server 1m
				""" + proxies);
		Path log = Path.of(config.toString().replace(".cfg", ".log"));
		try {
			return new ProcessBuilder("haproxy", "-db", "-f", config.toString()).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("The sidecar part compares with HAProxy: 'haproxy' is not on the PATH ("
					+ ex.getMessage() + "); benchmarks/run installs Debian's package with apt-get", ex);
		}
	}

	private static void awaitListening(int port) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (true) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
				return;
			}
			catch (IOException ex) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("Nothing listens on 127.0.0.1:" + port + " after 10 s", ex);
				}
				Thread.sleep(100);
			}
		}
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		for (Tunnel tunnel : this.tunnels) {
			tunnel.processes().forEach(Process::destroy);
		}
		for (Tunnel tunnel : this.tunnels) {
			for (Process process : tunnel.processes()) {
				try {
					if (!process.waitFor(20, TimeUnit.SECONDS)) {
						process.destroyForcibly();
					}
				}
				catch (InterruptedException ex) {
					process.destroyForcibly();
					Thread.currentThread().interrupt();
				}
			}
		}
		if (this.app != null) {
			this.app.disposeNow(Duration.ofSeconds(10));
		}
	}

}
