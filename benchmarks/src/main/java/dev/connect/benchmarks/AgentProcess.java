package dev.connect.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** A dev agent in its own JVM (fixed 512 MiB heap), started from this jar and stopped on close. */
final class AgentProcess implements AutoCloseable {

	private final Process process;

	private final String address;

	private AgentProcess(Process process, String address) {
		this.process = process;
		this.address = address;
	}

	static AgentProcess start() throws IOException {
		List<String> options = new ArrayList<>(List.of("-Xms512m", "-Xmx512m"));
		options.addAll(BenchmarkSupport.extraOptions("agent.jvmArgs", ""));
		BenchmarkSupport.StartedJvm started = BenchmarkSupport.startJvm(options, "dev.connect.agent.DevAgentMain",
				List.of("agent", "-dev", "-http-port", "0"), Pattern.compile("HTTP API: http://(127\\.0\\.0\\.1:\\d+)"),
				Path.of("benchmarks", "target", "agent.log"));
		return new AgentProcess(started.process(), started.ready().group(1));
	}

	String address() {
		return this.address;
	}

	Duration cpuTime() {
		return this.process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			this.process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

}
