package dev.connect.agent;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A real dev agent on port 0 and the CLI run against it in process, with what each run printed: the harness of the
 * CLI's integration tests. {@code CONSUL_HTTP_ADDR} points at the agent; more variables may be given.
 */
final class CliSession implements AutoCloseable {

	private final DevAgent agent;

	private Map<String, String> env;

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	private CliSession(DevAgent agent, Map<String, String> env) {
		this.agent = agent;
		this.env = env;
	}

	static CliSession start(DevAgentSettings settings, Map<String, String> extraEnv) {
		DevAgent agent = DevAgent.start(settings.withHttpPort(0));
		Map<String, String> env = new HashMap<>(extraEnv);
		env.put("CONSUL_HTTP_ADDR", agent.httpAddress());
		return new CliSession(agent, Map.copyOf(env));
	}

	static CliSession start() {
		return start(DevAgentSettings.defaults(), Map.of());
	}

	/** Replaces the environment of the next runs: {@code CONSUL_HTTP_ADDR} and the given variables. */
	void environment(Map<String, String> variables) {
		Map<String, String> env = new HashMap<>(variables);
		env.put("CONSUL_HTTP_ADDR", this.agent.httpAddress());
		this.env = Map.copyOf(env);
	}

	DevAgent agent() {
		return this.agent;
	}

	/** Runs one command line; what it prints replaces what the last run printed. */
	int run(String... args) {
		return runWithInput("", args);
	}

	/** Runs one command line with {@code input} as its standard input. */
	int runWithInput(String input, String... args) {
		this.out.reset();
		this.err.reset();
		return DevAgentMain.run(args, this.env, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
				new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8));
	}

	String out() {
		return this.out.toString(StandardCharsets.UTF_8);
	}

	String err() {
		return this.err.toString(StandardCharsets.UTF_8);
	}

	@Override
	public void close() {
		this.agent.close();
	}

}
