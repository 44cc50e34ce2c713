package dev.connect.agent;

import java.io.InputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code config write|read|list|delete}, as consul's {@code command/config}: the same flags, output and exit codes
 * (0 done, 1 refused or failed). Entries are read from JSON files (consul also reads HCL).
 */
final class ConfigCommand {

	static final String USAGE = """
			    config write [-cas -modify-index N] FILE  Create or update the config entry in FILE (JSON)
			    config read -kind KIND -name NAME         Print a config entry
			    config list -kind KIND                    List the names of a kind's config entries
			    config delete -kind KIND -name NAME [-cas -modify-index N]
			                                              Delete a config entry
			""";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final AgentConnection agent;

	private final InputStream in;

	private final PrintStream out;

	private final Map<String, String> flags;

	private final List<String> positional;

	private ConfigCommand(AgentConnection agent, InputStream in, PrintStream out, Map<String, String> flags,
			List<String> positional) {
		this.in = in;
		this.agent = agent;
		this.out = out;
		this.flags = flags;
		this.positional = positional;
	}

	/**
	 * Runs one subcommand.
	 * @param args the words after {@code config}
	 * @param env the environment, for {@code CONSUL_HTTP_ADDR} and {@code CONSUL_HTTP_TOKEN}
	 * @param out where output goes
	 * @return the exit status
	 */
	static int run(List<String> args, Map<String, String> env, InputStream in, PrintStream out) {
		if (args.isEmpty()) {
			throw new DevAgentMain.UsageException("Usage: config write|read|list|delete");
		}
		Map<String, String> flags = new HashMap<>();
		List<String> positional = new ArrayList<>();
		for (int i = 1; i < args.size(); i++) {
			String arg = args.get(i);
			if (arg.equals("-cas")) {
				flags.put("cas", "true");
			}
			else if (arg.startsWith("-") && arg.length() > 1) {
				String name = arg.substring(1).split("=", 2)[0];
				if (!List.of("kind", "name", "modify-index").contains(name) && !AgentConnection.FLAGS.contains(name)) {
					throw new DevAgentMain.UsageException("Unknown flag '" + arg + "'; run with --help to list them");
				}
				if (arg.contains("=")) {
					flags.put(name, arg.substring(arg.indexOf('=') + 1));
				}
				else if (i + 1 < args.size()) {
					flags.put(name, args.get(++i));
				}
				else {
					throw new DevAgentMain.UsageException("Flag '-" + name + "' needs a value");
				}
			}
			else {
				positional.add(arg);
			}
		}
		AgentConnection agent = AgentConnection.of(flags, env);
		ConfigCommand command = new ConfigCommand(agent, in, out, flags, positional);
		return switch (args.get(0)) {
			case "write" -> command.write();
			case "read" -> command.read();
			case "list" -> command.list();
			case "delete" -> command.delete();
			default -> throw new DevAgentMain.UsageException(
					"Unknown command 'config " + args.get(0) + "'; run with --help to list them");
		};
	}

	private int write() {
		if (this.positional.size() != 1) {
			throw new DevAgentMain.CommandException("Must provide exactly one positional argument to specify the config entry to write");
		}
		String body;
		try {
			body = AgentCli.loadData(this.positional.get(0), this.in);
		}
		catch (DevAgentMain.UsageException ex) {
			throw new DevAgentMain.CommandException("Failed to load data: " + ex.getMessage());
		}
		Map<String, Object> entry;
		try {
			entry = AgentCli.jsonOrHcl(body);
			body = JSON.writeValueAsString(entry);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			throw new DevAgentMain.CommandException("Failed to decode config entry input: " + AgentCli.reasonOf(ex));
		}
		String kind = String.valueOf(entry.getOrDefault("Kind", entry.getOrDefault("kind", "")));
		String name = String.valueOf(entry.getOrDefault("Name", entry.getOrDefault("name", kind.equals("mesh") ? "mesh" : "")));
		String path = "/v1/config" + cas();
		HttpResponse<String> response = this.agent.send("PUT", path, body);
		String error = AgentConnection.unexpected(response);
		if (error != null) {
			throw new DevAgentMain.CommandException("Error writing config entry " + kind + "/" + name + ": " + error);
		}
		if (response.body().trim().equals("false")) {
			throw new DevAgentMain.CommandException("Config entry not updated: " + kind + "/" + name);
		}
		this.out.println("Config entry written: " + kind + "/" + name);
		return 0;
	}

	private int read() {
		String kind = required("kind");
		String name = required("name");
		HttpResponse<String> response = this.agent.send("GET", "/v1/config/" + encode(kind) + "/" + encode(name), null);
		String error = AgentConnection.unexpected(response);
		if (error != null) {
			throw new DevAgentMain.CommandException("Error reading config entry " + kind + "/" + name + ": " + error);
		}
		this.out.println(response.body().trim());
		return 0;
	}

	private int list() {
		String kind = required("kind");
		HttpResponse<String> response = this.agent.send("GET", "/v1/config/" + encode(kind), null);
		String error = AgentConnection.unexpected(response);
		if (error != null) {
			throw new DevAgentMain.CommandException("Error listing config entries for kind \"" + kind + "\": " + error);
		}
		List<Map<String, Object>> entries = JSON.readValue(response.body(),
				new TypeReference<List<Map<String, Object>>>() {
				});
		entries.stream()
			.map((entry) -> String.valueOf(entry.getOrDefault("Name", kind)))
			.sorted()
			.forEach(this.out::println);
		return 0;
	}

	private int delete() {
		String kind = required("kind");
		String name = required("name");
		String path = "/v1/config/" + encode(kind) + "/" + encode(name) + cas();
		HttpResponse<String> response = this.agent.send("DELETE", path, null);
		String error = AgentConnection.unexpected(response);
		if (error != null) {
			throw new DevAgentMain.CommandException("Error deleting config entry " + kind + "/" + name + ": " + error);
		}
		if (response.body().trim().equals("false")) {
			throw new DevAgentMain.CommandException("Config entry not deleted: " + kind + "/" + name);
		}
		this.out.println("Config entry deleted: " + kind + "/" + name);
		return 0;
	}

	/** {@code -cas} needs {@code -modify-index}, as in consul; the index goes to {@code ?cas=}. */
	private String cas() {
		if (!this.flags.containsKey("cas")) {
			return "";
		}
		String index = this.flags.get("modify-index");
		if (index == null || !index.matches("[0-9]+")) {
			throw new DevAgentMain.CommandException("Must specify a -modify-index greater than 0 with -cas");
		}
		return "?cas=" + index;
	}

	private String required(String flag) {
		@Nullable String value = this.flags.get(flag);
		if (value == null || value.isEmpty()) {
			throw new DevAgentMain.CommandException("Must specify the -" + flag + " parameter");
		}
		return value;
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

}
