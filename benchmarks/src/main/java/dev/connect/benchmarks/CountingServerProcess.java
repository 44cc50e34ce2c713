package dev.connect.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** The counting app (WebFlux, or Spring MVC on Tomcat for the {@code mvc-*} modes) in its own JVM (512 MB fixed heap); its output goes to {@code benchmarks/target/counting-<mode>.log}. */
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
		List<String> options = new ArrayList<>(List.of("-Xms512m", "-Xmx512m"));
		if (mode.equals("mtls-jdk")) {
			options.add("-Dio.netty.handler.ssl.noOpenSsl=true");
		}
		options.addAll(BenchmarkSupport.extraOptions("server.jvmArgs", mode));
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.application.name=counting",
				"--connect.agent.url=" + agentAddress, "--spring.main.banner-mode=off", "--logging.level.root=WARN"));
		if (mode.endsWith("plaintext")) {
			// The edge shape: a plain port is never registered as a Connect-native service (the starter refuses that).
			args.addAll(List.of("--connect.tls.server.enabled=false", "--connect.authorization.enabled=false",
					"--connect.registration.enabled=false"));
		}
		boolean servlet = mode.startsWith("mvc-");
		// The class path holds both web stacks, so each app names its own.
		args.add("--spring.main.web-application-type=" + (servlet ? "servlet" : "reactive"));
		if (servlet) {
			// Tomcat's plain connector closes a connection after 100 requests by default, the mesh connector never:
			// both keep their connections, as the load generator's pool does.
			args.add("--server.tomcat.max-keep-alive-requests=-1");
		}
		String main = (servlet ? CountingServletMain.class : CountingServerMain.class).getName();
		BenchmarkSupport.StartedJvm started = BenchmarkSupport.startJvm(options, main,
				args, Pattern.compile("COUNTING_READY port=(\\d+) openssl=(true|false)"),
				Path.of("benchmarks", "target", "counting-" + mode + ".log"));
		return new CountingServerProcess(started.process(), Integer.parseInt(started.ready().group(1)),
				Boolean.parseBoolean(started.ready().group(2)));
	}

	java.time.Duration cpuTime() {
		return this.process.toHandle().info().totalCpuDuration().orElse(java.time.Duration.ZERO);
	}

	long pid() {
		return this.process.pid();
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
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

}
