package dev.connect.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.SSLContext;

import io.netty.handler.ssl.OpenSsl;

/**
 * Measures the mesh side by side in one run on one machine, and writes what it found: the Markdown results at the
 * top of {@code docs/benchmarks.md}, {@code benchmarks/results/latest.json} and the chart
 * {@code benchmarks/results/latest.png}. Run it with {@code benchmarks/run} from the repository root:
 * <pre>
 * benchmarks/run                 # everything, about 21 minutes on 2 cores
 * benchmarks/run --quick         # everything, shorter and less precise, under 3 minutes; writes results/quick.*
 * benchmarks/run --only=calls,rotation   # some parts; writes results/partial.*
 * </pre>
 * The parts, in the order they run: {@code calls} (section 1 of the results), {@code handshakes} (2),
 * {@code intentions} (4), {@code rotation} (5), {@code authorization} (3), {@code agent} (6), {@code sidecar} (7). The dev agent and the load generator run in
 * this JVM; each counting server in its own ({@code -Xms512m -Xmx512m}); JMH forks its own.
 */
public final class BenchmarkSuite {

	static final List<String> PARTS = List.of("calls", "handshakes", "intentions", "rotation", "authorization", "agent",
			"sidecar");

	static final String BEGIN = "<!-- BEGIN GENERATED RESULTS: written by benchmarks/run; edit below the END marker -->";

	static final String END = "<!-- END GENERATED RESULTS -->";

	private static final long STARTED = System.nanoTime();

	private BenchmarkSuite() {
	}

	public static void main(String[] args) throws Exception {
		Plan plan = Plan.full();
		List<String> parts = PARTS;
		for (String arg : args) {
			if (arg.equals("--quick")) {
				plan = Plan.quick();
			}
			else if (arg.startsWith("--only=")) {
				parts = List.of(arg.substring("--only=".length()).split(","));
				for (String part : parts) {
					if (!PARTS.contains(part)) {
						throw new IllegalArgumentException("Part '" + part + "' must be one of " + String.join(", ", PARTS));
					}
				}
			}
			else {
				throw new IllegalArgumentException("Argument '" + arg + "' must be --quick or --only=<parts>, parts being "
						+ String.join(", ", PARTS));
			}
		}
		Path docs = Path.of("docs", "benchmarks.md");
		if (!Files.isRegularFile(docs)) {
			throw new IllegalStateException("Run from the repository root: " + docs.toAbsolutePath() + " does not exist");
		}
		boolean complete = parts.size() == PARTS.size();
		String name = plan.isQuick() ? "quick" : complete ? "latest" : "partial";
		Path results = Path.of("benchmarks", "results");
		Files.createDirectories(results);
		Instant started = Instant.now();
		progress("benchmark suite: " + plan.name() + ", parts " + parts);
		Report report;
		try (Suite suite = new Suite(plan)) {
			for (String part : PARTS) {
				if (!parts.contains(part)) {
					continue;
				}
				if (part.equals("handshakes")) {
					// The servlet stack's counting JVMs of the calls part would share the cores idle.
					suite.keepOnly(MeshCalls.MODES);
				}
				if (part.equals("intentions")) {
					suite.keepOnly(List.of("mtls-boringssl"));
				}
				if (part.equals("authorization") || part.equals("sidecar")) {
					suite.keepOnly(List.of());
				}
				switch (part) {
					case "calls" -> MeshCalls.measure(suite);
					case "handshakes" -> Handshakes.measure(suite);
					case "intentions" -> IntentionPropagation.measure(suite);
					case "rotation" -> RotationUnderLoad.measure(suite);
					case "authorization" -> CachedAuthorization.measure(suite);
					case "agent" -> AgentBenchmarks.measure(suite);
					case "sidecar" -> SidecarProxies.measure(suite);
					default -> throw new IllegalStateException(part);
				}
			}
			report = suite.report();
		}
		Duration took = Duration.between(started, Instant.now());
		String command = "benchmarks/run" + (args.length > 0 ? " " + String.join(" ", args) : "");
		Map<String, Object> header = header(plan, parts, command, started, took);
		Path chart = results.resolve(name + ".png");
		boolean charted = !report.calls().isEmpty();
		if (charted) {
			Chart.write(chart, "dashboard → counting, " + plan.concurrency() + " in flight, " + plan.callRuns() + " runs ("
					+ started.truncatedTo(ChronoUnit.MINUTES) + ", " + plan.name() + ")", report.calls());
		}
		Files.writeString(results.resolve(name + ".json"), Json.write(report.json(header)), StandardCharsets.UTF_8);
		String markdown = markdown(report, header, name, charted);
		if (name.equals("latest")) {
			writeDocs(docs, markdown);
			progress("wrote " + docs + ", " + results.resolve("latest.json") + " and " + chart);
		}
		else {
			Files.writeString(results.resolve(name + ".md"), markdown, StandardCharsets.UTF_8);
			progress("wrote " + results.resolve(name + ".md") + ", " + results.resolve(name + ".json")
					+ (charted ? " and " + chart : "") + " (docs/benchmarks.md is written by full runs only)");
		}
		System.out.println();
		System.out.println(report.targetTable());
	}

	static void progress(String message) {
		long seconds = (System.nanoTime() - STARTED) / 1_000_000_000L;
		System.out.printf(Locale.ROOT, "[%2d:%02d] %s%n", seconds / 60, seconds % 60, message);
	}

	private static Map<String, Object> header(Plan plan, List<String> parts, String command, Instant started,
			Duration took) throws Exception {
		Map<String, Object> machine = new LinkedHashMap<>();
		machine.put("cores", Runtime.getRuntime().availableProcessors());
		machine.put("cpu", firstValue(Path.of("/proc/cpuinfo"), "model name"));
		machine.put("memoryGiB", Math.round(((com.sun.management.OperatingSystemMXBean) ManagementFactory
			.getOperatingSystemMXBean()).getTotalMemorySize() / (1024.0 * 1024 * 1024)));
		String os = firstValue(Path.of("/etc/os-release"), "PRETTY_NAME");
		machine.put("os", (os != null ? os.replace("\"", "") + ", " : "") + System.getProperty("os.name") + " "
				+ System.getProperty("os.version") + " " + System.getProperty("os.arch"));
		machine.put("java", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
				+ System.getProperty("java.runtime.version"));
		machine.put("tls", "BoringSSL via netty-tcnative " + version("netty-tcnative-classes") + ": "
				+ (OpenSsl.isAvailable() ? OpenSsl.versionString() : "not available (" + OpenSsl.unavailabilityCause() + ")")
				+ "; Netty " + version("netty-handler")
				+ "; JDK TLS: " + SSLContext.getDefault().getProvider().getName() + " " + SSLContext.getDefault().getProvider().getVersionStr());
		Map<String, Object> header = new LinkedHashMap<>();
		header.put("started", started.truncatedTo(ChronoUnit.SECONDS).toString());
		header.put("tookSeconds", took.toSeconds());
		header.put("plan", plan.name());
		header.put("runsPerFigure", plan.runs());
		header.put("runsOfCalls", plan.callRuns());
		header.put("runsOfRotation", plan.rotationRuns());
		header.put("parts", parts);
		header.put("command", command);
		header.put("machine", machine);
		return header;
	}

	private static String markdown(Report report, Map<String, Object> header, String name, boolean charted) {
		@SuppressWarnings("unchecked")
		Map<String, Object> machine = (Map<String, Object>) header.get("machine");
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT, """
				## Latest run: %s (%s plan, %d min %02d s)

				```
				%s
				```

				- Machine: %s cores (%s), %s GiB, %s
				- JDK: %s
				- TLS: %s
				- Every figure is the median of %s runs (the mesh calls %s, the rotation %s) with the range in
				  brackets; ratios pair runs measured back to back. JSON: `benchmarks/results/%s`.

				""", ((String) header.get("started")).substring(0, 10), header.get("plan"),
				(long) header.get("tookSeconds") / 60, (long) header.get("tookSeconds") % 60, header.get("command"),
				machine.get("cores"), machine.get("cpu"), machine.get("memoryGiB"), machine.get("os"),
				machine.get("java"), machine.get("tls"), header.get("runsPerFigure"), header.get("runsOfCalls"),
				header.get("runsOfRotation"), name + ".json"));
		if (!report.targets().isEmpty()) {
			out.append("### Targets\n\n").append(report.targetTable()).append('\n');
		}
		if (charted) {
			out.append("![Throughput and latency per mode](../benchmarks/results/").append(name).append(".png)\n\n");
		}
		out.append(report.sections());
		return out.toString();
	}

	/** Replaces the generated block of the page (or puts one under its title) and keeps everything else. */
	private static void writeDocs(Path docs, String markdown) throws IOException {
		String page = Files.readString(docs, StandardCharsets.UTF_8);
		String block = BEGIN + "\n\n" + markdown.strip() + "\n\n" + END;
		int begin = page.indexOf(BEGIN);
		int end = page.indexOf(END);
		String updated;
		if (begin >= 0 && end > begin) {
			updated = page.substring(0, begin) + block + page.substring(end + END.length());
		}
		else {
			int afterTitle = page.startsWith("# ") ? page.indexOf('\n') + 1 : 0;
			updated = page.substring(0, afterTitle) + "\n" + block + "\n" + page.substring(afterTitle);
		}
		Files.writeString(docs, updated, StandardCharsets.UTF_8);
	}

	/** A Netty artifact's version, from the Maven metadata the shaded jar keeps. */
	private static String version(String artifact) {
		try (var in = BenchmarkSuite.class.getResourceAsStream("/META-INF/maven/io.netty/" + artifact + "/pom.properties")) {
			if (in != null) {
				java.util.Properties properties = new java.util.Properties();
				properties.load(in);
				return properties.getProperty("version", "(version unknown)");
			}
		}
		catch (IOException ex) {
			// Reported as unknown.
		}
		return "(version unknown)";
	}

	private static String firstValue(Path file, String key) {
		try {
			for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
				int separator = line.indexOf(line.contains(":") && !line.contains("=") ? ':' : '=');
				if (separator > 0 && line.substring(0, separator).trim().equals(key)) {
					return line.substring(separator + 1).trim();
				}
			}
		}
		catch (IOException ex) {
			// Not Linux: the figure is left out.
		}
		return null;
	}

}
