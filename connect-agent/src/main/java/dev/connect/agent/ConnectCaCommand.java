package dev.connect.agent;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code connect ca get-config} and {@code connect ca set-config -config-file FILE}, as consul's
 * {@code command/connect/ca/get} and {@code set}, over {@code /v1/connect/ca/configuration}.
 */
final class ConnectCaCommand {

	static final String USAGE = """
			    connect ca get-config                     Print the CA configuration as JSON
			    connect ca set-config -config-file FILE   Set the CA configuration from a JSON file
			                                              [-force-without-cross-signing]
			""";

	private static final String PATH = "/v1/connect/ca/configuration";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private ConnectCaCommand() {
	}

	/**
	 * Runs {@code connect ca get-config|set-config}.
	 * @param args the words after {@code connect}
	 */
	static int run(List<String> args, Map<String, String> env, PrintStream out) {
		if (args.size() < 2 || !args.get(0).equals("ca")
				|| !(args.get(1).equals("get-config") || args.get(1).equals("set-config"))) {
			throw new DevAgentMain.UsageException("Usage: connect ca get-config|set-config");
		}
		boolean set = args.get(1).equals("set-config");
		Map<String, String> flags = new HashMap<>();
		boolean force = false;
		for (int i = 2; i < args.size(); i++) {
			String arg = args.get(i);
			String name = arg.replaceFirst("^--?", "").split("=", 2)[0];
			if (set && name.equals("force-without-cross-signing") && !arg.contains("=")) {
				force = true;
			}
			else if (arg.startsWith("-") && ((set && name.equals("config-file")) || AgentConnection.FLAGS.contains(name))) {
				if (!arg.contains("=") && i + 1 >= args.size()) {
					throw new DevAgentMain.UsageException("Flag '-" + name + "' needs a value");
				}
				flags.put(name, arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : args.get(++i));
			}
			else {
				throw new DevAgentMain.UsageException(arg.startsWith("-")
						? "Unknown flag '" + arg + "'; run with --help to list them"
						: "Unexpected argument '" + arg + "': connect ca " + args.get(1) + " takes flags only");
			}
		}
		AgentConnection agent = AgentConnection.of(flags, env);
		return set ? set(agent, flags.getOrDefault("config-file", ""), force, out) : get(agent, out);
	}

	private static int get(AgentConnection agent, PrintStream out) {
		HttpResponse<String> response = agent.send("GET", PATH, null);
		String error = AgentConnection.unexpected(response);
		if (error != null) {
			throw new DevAgentMain.CommandException("Error querying CA configuration: " + error);
		}
		out.println(response.body().trim());
		return 0;
	}

	private static int set(AgentConnection agent, String file, boolean force, PrintStream out) {
		if (file.isEmpty()) {
			throw new DevAgentMain.CommandException("The -config-file flag is required");
		}
		String text;
		try {
			text = Files.readString(Path.of(file));
		}
		catch (IOException ex) {
			throw new DevAgentMain.CommandException("Error reading config file: " + ex);
		}
		Map<String, Object> config;
		try {
			config = new LinkedHashMap<>(JSON.readValue(text, new TypeReference<Map<String, Object>>() {
			}));
		}
		catch (JacksonException ex) {
			throw new DevAgentMain.CommandException("Error parsing config file: " + ex.getOriginalMessage());
		}
		config.put("ForceWithoutCrossSigning", force);
		String error = AgentConnection.unexpected(agent.send("PUT", PATH, JSON.writeValueAsString(config)));
		if (error != null) {
			throw new DevAgentMain.CommandException("Error setting CA configuration: " + error);
		}
		out.println("Configuration updated!");
		return 0;
	}

}
