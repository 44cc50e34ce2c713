package dev.connect.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.connect.agent.DevAgent;
import dev.connect.client.AgentCertificateSource;
import dev.connect.client.AgentClient;
import dev.connect.client.AgentClientSettings;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

/** What the load harnesses share: agent writes, a caller's identity, JVMs they start, percentiles. */
final class BenchmarkSupport {

	private BenchmarkSupport() {
	}

	/** Sends a PUT to the agent and fails unless it answers 200. */
	static void put(DevAgent agent, String path, String body) {
		String answer = HttpClient.create()
			.put()
			.uri(agent.httpAddress() + path)
			.send(ByteBufFlux.fromString(Mono.just(body)))
			.responseSingle((response, content) -> content.asString().defaultIfEmpty("")
				.map((text) -> response.status().code() + " " + text))
			.block(Duration.ofSeconds(30));
		if (answer == null || !answer.startsWith("200")) {
			throw new IllegalStateException("PUT " + path + " answered " + answer);
		}
	}

	/** Creates or replaces the intention {@code source → destination} with the given action. */
	static void intention(DevAgent agent, String source, String destination, String action) {
		put(agent, "/v1/connect/intentions/exact?source=" + source + "&destination=" + destination,
				"{\"Action\":\"" + action + "\"}");
	}

	/** A live certificate source for a service, with its first leaf and roots already there; dispose it after use. */
	static AgentCertificateSource identity(DevAgent agent, String service) {
		AgentClient client = AgentClient.create(AgentClientSettings.defaults().withAddress(URI.create(agent.httpAddress())));
		AgentCertificateSource source = AgentCertificateSource.start(client, service, Clock.systemUTC());
		source.ready(Duration.ofSeconds(30)).block();
		return source;
	}

	/**
	 * Starts a JVM on this JVM's class path and returns once a line of its output matches; the rest of its output
	 * goes to a log file.
	 * @param options JVM options
	 * @param mainClass the main class
	 * @param args its arguments
	 * @param ready the line that says it is ready
	 * @param log where the rest of its output goes
	 * @return the process and the matched line
	 */
	static StartedJvm startJvm(List<String> options, String mainClass, List<String> args, Pattern ready, Path log)
			throws IOException {
		List<String> command = new ArrayList<>();
		command.add(java());
		command.addAll(options);
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
		command.addAll(args);
		return startProcess(command, ready, log);
	}

	/** This JVM's {@code java} command. */
	static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/**
	 * Starts a process and returns once a line of its output (standard output and error together) matches; the rest
	 * of its output goes to a log file.
	 * @param command the command and its arguments
	 * @param ready the line that says it is ready
	 * @param log where the rest of its output goes
	 * @return the process and the matched line
	 */
	static StartedJvm startProcess(List<String> command, Pattern ready, Path log) throws IOException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		List<String> seen = new ArrayList<>();
		for (String line = output.readLine(); line != null; line = output.readLine()) {
			seen.add(line);
			Matcher matcher = ready.matcher(line);
			if (matcher.find()) {
				Thread drain = new Thread(() -> {
					try (var writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
						for (String text = output.readLine(); text != null; text = output.readLine()) {
							writer.write(text);
							writer.newLine();
							writer.flush();
						}
					}
					catch (IOException | UncheckedIOException ex) {
						// The process ended and its output closed.
					}
				}, log.getFileName().toString());
				drain.setDaemon(true);
				drain.start();
				return new StartedJvm(process, matcher);
			}
		}
		process.destroy();
		throw new IllegalStateException(String.join(" ", command) + " did not start: " + String.join("\n", seen));
	}

	/** Extra JVM options from a system property (space separated), with {@code {mode}} replaced. */
	static List<String> extraOptions(String property, String mode) {
		String extra = System.getProperty(property, "");
		return extra.isBlank() ? List.of() : List.of(extra.trim().replace("{mode}", mode).split("\\s+"));
	}

	/** A JVM {@link #startJvm} started, and the line that said it was ready. */
	record StartedJvm(Process process, Matcher ready) {
	}

	/**
	 * Calls until an answer has the status, one call at a time (each within 10 s), for at most 30 s.
	 * @return when (nanoTime) the status was seen
	 */
	static long awaitStatus(HttpClient client, String url, int status) {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (System.nanoTime() < deadline) {
			Integer seen = client.get().uri(url)
				.responseSingle((response, body) -> body.asByteArray().defaultIfEmpty(new byte[0])
					.map((ignored) -> response.status().code()))
				.block(Duration.ofSeconds(10));
			if (seen != null && seen == status) {
				return System.nanoTime();
			}
		}
		throw new IllegalStateException("Status " + status + " not seen at " + url + " within 30 s");
	}

	/** The nearest-rank percentile of sorted values. */
	static long percentile(long[] sorted, double percentile) {
		int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

}
