package dev.connect.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Load harness for the dev agent (not JMH: these are end-to-end measurements over real sockets). The agent runs in
 * its own JVM, started from this jar, except for the heap measurement, which needs the agent's heap.
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.connect.benchmarks.AgentBenchmarks fanout [queries]
 * java -cp benchmarks/target/benchmarks.jar dev.connect.benchmarks.AgentBenchmarks authorize [requests]
 * java -Xmx1g -cp benchmarks/target/benchmarks.jar dev.connect.benchmarks.AgentBenchmarks heap [services]
 * </pre>
 */
public final class AgentBenchmarks {

	private AgentBenchmarks() {
	}

	public static void main(String[] args) throws Exception {
		String mode = (args.length > 0) ? args[0] : "all";
		int size = (args.length > 1) ? Integer.parseInt(args[1]) : 0;
		switch (mode) {
			case "fanout" -> fanout((size > 0) ? size : 10_000);
			case "authorize" -> authorize((size > 0) ? size : 20_000);
			case "heap" -> heap((size > 0) ? size : 10_000);
			default -> throw new IllegalArgumentException("Mode '" + mode + "' must be fanout, authorize or heap");
		}
	}

	/**
	 * One change, N blocked health queries: time from the change until each query has its answer, and the CPU
	 * each process spent meanwhile. Round 1 is cold (the wake-up path has never run); round 2 is warm.
	 */
	static void fanout(int queries) throws Exception {
		try (AgentProcess agent = AgentProcess.start()) {
			HttpClient client = client(agent.address(), queries + 100);
			register(client, "fan-0", 1);
			for (int round = 1; round <= 2; round++) {
				fanoutRound(agent, client, queries, round);
			}
		}
	}

	private static void fanoutRound(AgentProcess agent, HttpClient client, int queries, int round)
			throws Exception {
		long index = Long.parseLong(client.get().uri("/v1/health/connect/fan")
			.responseSingle((response, content) -> Mono.just(response.responseHeaders().get("X-Consul-Index")))
			.block());
		CountDownLatch sent = new CountDownLatch(queries);
		long[] answeredAt = new long[queries];
		AtomicInteger answered = new AtomicInteger();
		CountDownLatch done = new CountDownLatch(queries);
		HttpClient counting = client.doAfterRequest((request, connection) -> sent.countDown());
		for (int i = 0; i < queries; i++) {
			int slot = i;
			counting.get()
				.uri("/v1/health/connect/fan?index=" + index + "&wait=5m")
				.responseSingle((response, content) -> content.asString())
				.subscribe((answer) -> {
					answeredAt[slot] = System.nanoTime();
					answered.incrementAndGet();
					done.countDown();
				}, (error) -> done.countDown());
		}
		if (!sent.await(120, TimeUnit.SECONDS)) {
			throw new IllegalStateException("Only " + (queries - sent.getCount()) + " queries were sent");
		}
		Thread.sleep(2000);
		int early = answered.get();
		Duration agentCpuBefore = agent.cpuTime();
		long clientCpuBefore = clientCpuNanos();
		long changedAt = System.nanoTime();
		register(client, "fan-" + round, 1 + round);
		long written = System.nanoTime() - changedAt;
		done.await(60, TimeUnit.SECONDS);
		long window = System.nanoTime() - changedAt;
		Duration agentCpu = agent.cpuTime().minus(agentCpuBefore);
		long clientCpu = clientCpuNanos() - clientCpuBefore;
		long[] latencies = Arrays.stream(answeredAt).filter((at) -> at > 0).map((at) -> at - changedAt).sorted().toArray();
		System.out.printf(Locale.ROOT,
				"fanout round=%d (%s) queries=%d answeredBeforeChange=%d answered=%d write=%.1fms min=%.1fms "
						+ "p50=%.1fms p99=%.1fms max=%.1fms; cpu in %.0f ms: agent %.0f ms (%.0f us/answer), client %.0f ms%n",
				round, (round == 1) ? "cold" : "warm", queries, early, latencies.length, ms(written), ms(latencies[0]),
				ms(BenchmarkSupport.percentile(latencies, 50)), ms(BenchmarkSupport.percentile(latencies, 99)),
				ms(latencies[latencies.length - 1]),
				ms(window), ms(agentCpu.toNanos()), us(agentCpu.toNanos() / queries), ms(clientCpu));
	}

	private static void register(HttpClient client, String id, int port) {
		client.put().uri("/v1/agent/service/register")
			.send(body("{\"ID\":\"" + id + "\",\"Name\":\"fan\",\"Port\":" + port + ",\"Connect\":{\"Native\":true}}"))
			.responseSingle((response, content) -> content.asString())
			.block();
	}

	/** Sequential authorize calls over one keep-alive connection, then the same at concurrency 8. */
	static void authorize(int requests) throws Exception {
		try (AgentProcess agent = AgentProcess.start()) {
			HttpClient client = client(agent.address(), 16);
			client.put().uri("/v1/connect/intentions/exact?source=web&destination=db")
				.send(body("{\"Action\":\"allow\"}"))
				.responseSingle((response, content) -> content.asString())
				.block();
			String td = client.get().uri("/v1/agent/connect/ca/roots")
				.responseSingle((response, content) -> content.asString())
				.map((roots) -> roots.replaceAll("(?s).*\"TrustDomain\": \"([^\"]+)\".*", "$1"))
				.block();
			String request = "{\"Target\":\"db\",\"ClientCertURI\":\"spiffe://" + td
					+ "/ns/default/dc/dc1/svc/web\",\"ClientCertSerial\":\"2c\"}";
			Mono<String> call = client.post().uri("/v1/agent/connect/authorize").send(body(request))
				.responseSingle((response, content) -> content.asString());
			for (int i = 0; i < 5_000; i++) {
				call.block();
			}
			long[] latencies = new long[requests];
			for (int i = 0; i < requests; i++) {
				long start = System.nanoTime();
				String answer = call.block();
				latencies[i] = System.nanoTime() - start;
				if (!answer.contains("\"Authorized\": true")) {
					throw new IllegalStateException("Unexpected answer: " + answer);
				}
			}
			Arrays.sort(latencies);
			long started = System.nanoTime();
			Flux.range(0, requests).flatMap((i) -> call, 8).blockLast();
			double perSecond = requests / ((System.nanoTime() - started) / 1e9);
			System.out.printf(Locale.ROOT,
					"authorize requests=%d sequential p50=%.0fus p99=%.0fus p99.9=%.0fus; concurrency 8: %.0f req/s%n",
					requests, us(BenchmarkSupport.percentile(latencies, 50)), us(BenchmarkSupport.percentile(latencies, 99)),
					us(BenchmarkSupport.percentile(latencies, 99.9)), perSecond);
		}
	}

	/** Heap of an in-process agent before and after registering N Connect-native services with a TTL check. */
	static void heap(int services) throws Exception {
		try (DevAgent agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0))) {
			HttpClient client = client(agent.httpAddress().replace("http://", ""), 16);
			register(client, 0, 200);
			long before = usedHeapAfterGc();
			register(client, 200, 200 + services);
			long after = usedHeapAfterGc();
			long count = client.get().uri("/v1/agent/services")
				.responseSingle((response, content) -> content.asString())
				.map((json) -> json.split("\"ID\":", -1).length - 1L)
				.block();
			System.out.printf(Locale.ROOT, "heap services=%d registered=%d delta=%.1fMiB perService=%d bytes%n",
					services, count - 200, (after - before) / 1048576.0, (after - before) / services);
		}
	}

	private static void register(HttpClient client, int from, int to) {
		Flux.range(from, to - from).flatMap((i) -> client.put().uri("/v1/agent/service/register")
			.send(body("{\"ID\":\"svc-" + i + "\",\"Name\":\"svc-" + i + "\",\"Port\":" + (10000 + (i % 50000))
					+ ",\"Tags\":[\"v1\"],\"Meta\":{\"team\":\"t" + (i % 10) + "\"},\"Connect\":{\"Native\":true},"
					+ "\"Check\":{\"CheckID\":\"svc-" + i + "-ttl\",\"TTL\":\"30s\",\"Status\":\"passing\","
					+ "\"DeregisterCriticalServiceAfter\":\"10m\"}}"))
			.responseSingle((response, content) -> {
				if (response.status().code() != 200) {
					return content.asString().flatMap((text) -> Mono.error(new IllegalStateException(text)));
				}
				return Mono.just(true);
			}), 4).blockLast();
	}

	private static long clientCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	private static long usedHeapAfterGc() throws InterruptedException {
		for (int i = 0; i < 4; i++) {
			System.gc();
			Thread.sleep(200);
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	private static HttpClient client(String address, int connections) {
		ConnectionProvider provider = ConnectionProvider.builder("bench")
			.maxConnections(connections)
			.pendingAcquireMaxCount(-1)
			.pendingAcquireTimeout(Duration.ofMinutes(2))
			.build();
		return HttpClient.create(provider).baseUrl("http://" + address)
			.headers((headers) -> headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json"));
	}

	private static ByteBufFlux body(String json) {
		return ByteBufFlux.fromString(Mono.just(json));
	}

	private static double ms(long nanos) {
		return nanos / 1e6;
	}

	private static double us(long nanos) {
		return nanos / 1e3;
	}

	/** A dev agent in its own JVM (fixed 512 MiB heap), started from this jar and stopped on close. */
	static final class AgentProcess implements AutoCloseable {

		private final Process process;

		private final String address;

		private AgentProcess(Process process, String address) {
			this.process = process;
			this.address = address;
		}

		static AgentProcess start() throws IOException {
			String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
			List<String> command = new ArrayList<>(List.of(java, "-Xms512m", "-Xmx512m"));
			String extra = System.getProperty("agent.jvmArgs", "");
			if (!extra.isBlank()) {
				command.addAll(List.of(extra.trim().split("\\s+")));
			}
			command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.connect.agent.DevAgentMain", "agent",
					"-dev", "-http-port", "0"));
			Process process = new ProcessBuilder(command)
				.redirectErrorStream(true)
				.start();
			BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
			Pattern pattern = Pattern.compile("HTTP API: http://(127\\.0\\.0\\.1:\\d+)");
			List<String> banner = new ArrayList<>();
			for (String line = output.readLine(); line != null; line = output.readLine()) {
				banner.add(line);
				Matcher matcher = pattern.matcher(line);
				if (matcher.find()) {
					Thread drain = new Thread(() -> output.lines().forEach((ignored) -> {
					}), "agent-output");
					drain.setDaemon(true);
					drain.start();
					return new AgentProcess(process, matcher.group(1));
				}
			}
			process.destroy();
			throw new IllegalStateException("Agent did not start: " + banner);
		}

		String address() {
			return this.address;
		}

		Duration cpuTime() {
			return this.process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
		}

		@Override
		public void close() throws InterruptedException {
			this.process.destroy();
			this.process.waitFor(10, TimeUnit.SECONDS);
		}

	}

}
