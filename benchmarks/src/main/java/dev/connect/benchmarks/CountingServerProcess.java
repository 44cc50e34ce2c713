package dev.connect.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The counting app in its own JVM (512 MB fixed heap); its output goes to {@code benchmarks/target/counting-<mode>.log}. */
final class CountingServerProcess implements AutoCloseable {

	private final Process process;

	private final int port;

	private final boolean openSsl;

	private CountingServerProcess(Process process, int port, boolean openSsl) {
		this.process = process;
		this.port = port;
		this.openSsl = openSsl;
	}

	static CountingServerProcess start(String agentAddress, String mode) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(List.of(java, "-Xms512m", "-Xmx512m"));
		if (mode.equals("mtls-jdk")) {
			command.add("-Dio.netty.handler.ssl.noOpenSsl=true");
		}
		String extra = System.getProperty("server.jvmArgs", "");
		if (!extra.isBlank()) {
			command.addAll(List.of(extra.trim().replace("{mode}", mode).split("\\s+")));
		}
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), CountingServerMain.class.getName(),
				"--server.port=0", "--spring.application.name=counting", "--connect.agent.url=" + agentAddress,
				"--spring.main.banner-mode=off", "--logging.level.root=WARN"));
		if (mode.equals("plaintext")) {
			command.addAll(List.of("--connect.tls.server.enabled=false", "--connect.authorization.enabled=false"));
		}
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		Pattern ready = Pattern.compile("COUNTING_READY port=(\\d+) openssl=(true|false)");
		List<String> seen = new ArrayList<>();
		for (String line = output.readLine(); line != null; line = output.readLine()) {
			seen.add(line);
			Matcher matcher = ready.matcher(line);
			if (matcher.find()) {
				Path log = Path.of("benchmarks", "target", "counting-" + mode + ".log");
				Thread drain = new Thread(() -> {
					try (var writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
						for (String text = output.readLine(); text != null; text = output.readLine()) {
							writer.write(text);
							writer.newLine();
							writer.flush();
						}
					}
					catch (IOException | java.io.UncheckedIOException ex) {
						// The process ended and its output closed.
					}
				}, "counting-output");
				drain.setDaemon(true);
				drain.start();
				return new CountingServerProcess(process, Integer.parseInt(matcher.group(1)),
						Boolean.parseBoolean(matcher.group(2)));
			}
		}
		process.destroy();
		throw new IllegalStateException("The counting server did not start: " + String.join("\n", seen));
	}

	java.time.Duration cpuTime() {
		return this.process.toHandle().info().totalCpuDuration().orElse(java.time.Duration.ZERO);
	}

	int port() {
		return this.port;
	}

	boolean openSsl() {
		return this.openSsl;
	}

	/** Asks the server to stop, without waiting; {@link #close()} waits. */
	void stop() {
		this.process.destroy();
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
	}

}
