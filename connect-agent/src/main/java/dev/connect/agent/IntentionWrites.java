package dev.connect.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code intention create} and {@code intention delete}, as consul's {@code command/intention/create} and
 * {@code delete}: create refuses a pair that already has an intention unless {@code -replace} is given (the agent's
 * {@code duplicate intention found} answer), reads intentions from JSON files with {@code -file} ({@code -} for
 * standard input), and sets
 * {@code -meta key=value}; delete takes a pair or a legacy ID.
 */
final class IntentionWrites {

	static final String USAGE = """
			    intention create [-allow|-deny] [-replace] [-meta K=V]... SRC DST
			    intention create [-replace] -file FILE...  Create intentions (Created: SRC => DST (action)); an
			                                              existing pair is refused unless -replace is given
			    intention delete SRC DST | ID             Delete an intention by its pair or its ID
			""";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final AgentConnection agent;

	private final InputStream in;

	private final PrintStream out;

	private IntentionWrites(AgentConnection agent, InputStream in, PrintStream out) {
		this.agent = agent;
		this.in = in;
		this.out = out;
	}

	/**
	 * Runs {@code intention create|delete}.
	 * @param args the words after {@code intention}
	 */
	static int run(List<String> args, Map<String, String> env, InputStream in, PrintStream out) {
		Map<String, String> connection = new HashMap<>();
		Map<String, String> meta = new LinkedHashMap<>();
		List<String> switches = new ArrayList<>();
		List<String> positional = new ArrayList<>();
		for (int i = 1; i < args.size(); i++) {
			String arg = args.get(i);
			String name = arg.startsWith("-") ? arg.replaceFirst("^--?", "").split("=", 2)[0] : "";
			if (List.of("allow", "deny", "replace", "file").contains(name) && !arg.contains("=")) {
				switches.add(name);
			}
			else if (name.equals("meta") || AgentConnection.FLAGS.contains(name)) {
				String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : null;
				if (value == null && i + 1 >= args.size()) {
					throw new DevAgentMain.UsageException("Flag '-" + name + "' needs a value");
				}
				value = (value != null) ? value : args.get(++i);
				if (name.equals("meta")) {
					putMeta(meta, value);
				}
				else {
					connection.put(name, value);
				}
			}
			else if (arg.startsWith("-") && arg.length() > 1) {
				throw new DevAgentMain.UsageException("Unknown flag '" + arg + "'; run with --help to list them");
			}
			else {
				positional.add(arg);
			}
		}
		IntentionWrites command = new IntentionWrites(AgentConnection.of(connection, env), in, out);
		return args.get(0).equals("create") ? command.create(switches, meta, positional)
				: command.delete(switches, positional);
	}

	private static void putMeta(Map<String, String> meta, String value) {
		int equals = value.indexOf('=');
		if (equals <= 0) {
			throw new DevAgentMain.UsageException(
					"Invalid value '" + value + "' for flag -meta: it must be key=value");
		}
		meta.put(value.substring(0, equals), value.substring(equals + 1));
	}

	private int create(List<String> switches, Map<String, String> meta, List<String> args) {
		if (switches.contains("allow") && switches.contains("deny")) {
			throw new DevAgentMain.CommandException("Only one of -allow or -deny may be specified.");
		}
		List<Map<String, Object>> intentions = switches.contains("file") ? fromFiles(args, this.in)
				: List.of(fromArgs(args, switches.contains("deny") ? "deny" : "allow", meta));
		for (Map<String, Object> intention : intentions) {
			String source = target(intention, "Source");
			String destination = target(intention, "Destination");
			if (switches.contains("replace") && replaced(intention, source, destination)) {
				continue;
			}
			String described = source + " => " + destination + " (" + intention.getOrDefault("Action", "") + ")";
			String error = AgentConnection.unexpected(
					this.agent.send("POST", "/v1/connect/intentions", JSON.writeValueAsString(intention)));
			if (error != null) {
				throw new DevAgentMain.CommandException("Error creating intention \"" + described + "\": " + error);
			}
			this.out.println("Created: " + described);
		}
		return 0;
	}

	private static String target(Map<String, Object> intention, String side) {
		Object namespace = intention.get(side + "NS");
		String name = String.valueOf(intention.getOrDefault(side + "Name", ""));
		return (namespace != null && !namespace.toString().isEmpty()) ? namespace + "/" + name : name;
	}

	/** As consul's {@code -replace}: an existing pair is updated through its ID, silently; false when none. */
	private boolean replaced(Map<String, Object> intention, String source, String destination) {
		HttpResponse<String> found = this.agent.send("GET", "/v1/connect/intentions/exact?source=" + encode(source)
				+ "&destination=" + encode(destination), null);
		if (found.statusCode() == 404) {
			return false;
		}
		String error = AgentConnection.unexpected(found);
		if (error != null) {
			throw new DevAgentMain.CommandException("Error looking up intention for replacement with source \"" + source
					+ "\" and destination \"" + destination + "\": " + error);
		}
		Object id = read(found.body(), "the agent's answer").get("ID");
		Map<String, Object> update = new LinkedHashMap<>(intention);
		update.put("ID", id);
		error = AgentConnection.unexpected(this.agent.send("PUT", "/v1/connect/intentions/" + encode(String.valueOf(id)),
				JSON.writeValueAsString(update)));
		if (error != null) {
			throw new DevAgentMain.CommandException("Error replacing intention with source \"" + source
					+ "\" and destination \"" + destination + "\": " + error);
		}
		return true;
	}

	private static Map<String, Object> fromArgs(List<String> args, String action, Map<String, String> meta) {
		if (args.size() != 2) {
			throw new DevAgentMain.UsageException("Must specify two arguments: source and destination");
		}
		Map<String, Object> intention = new LinkedHashMap<>();
		putTarget(intention, "Source", args.get(0));
		putTarget(intention, "Destination", args.get(1));
		intention.put("SourceType", "consul");
		intention.put("Action", action);
		if (!meta.isEmpty()) {
			intention.put("Meta", meta);
		}
		return intention;
	}

	/** As consul's {@code ParseIntentionTarget}: {@code NS/NAME} sets the namespace, which the agent judges. */
	private static void putTarget(Map<String, Object> intention, String side, String target) {
		int slash = target.indexOf('/');
		if (slash >= 0 && target.indexOf('/', slash + 1) >= 0) {
			throw new DevAgentMain.UsageException(
					"Invalid intention " + side.toLowerCase(java.util.Locale.ROOT) + ": target can contain at most one '/'");
		}
		if (slash >= 0) {
			intention.put(side + "NS", target.substring(0, slash));
		}
		intention.put(side + "Name", target.substring(slash + 1));
	}

	/** As consul's {@code LoadDataSourceNoRaw}: a file, or {@code -} for standard input. */
	private static List<Map<String, Object>> fromFiles(List<String> files, InputStream in) {
		List<Map<String, Object>> intentions = new ArrayList<>();
		for (String file : files) {
			intentions.add(read(AgentCli.loadData(file, in), "the intention file '" + file + "'"));
		}
		return intentions;
	}

	private int delete(List<String> switches, List<String> args) {
		if (!switches.isEmpty()) {
			throw new DevAgentMain.UsageException("Unknown flag '-" + switches.get(0) + "'; run with --help to list them");
		}
		String path = switch (args.size()) {
			case 1 -> "/v1/connect/intentions/" + encode(args.get(0));
			case 2 -> "/v1/connect/intentions/exact?source=" + encode(args.get(0)) + "&destination="
					+ encode(args.get(1));
			default -> throw new DevAgentMain.UsageException("command requires exactly 1 or 2 arguments");
		};
		String error = AgentConnection.unexpected(this.agent.send("DELETE", path, null));
		if (error != null) {
			throw new DevAgentMain.CommandException("Error deleting the intention: " + error);
		}
		this.out.println("Intention deleted.");
		return 0;
	}

	private static Map<String, Object> read(String text, String what) {
		try {
			return JSON.readValue(text, new TypeReference<Map<String, Object>>() {
			});
		}
		catch (JacksonException ex) {
			throw new DevAgentMain.UsageException("Unable to read " + what + ": " + ex.getOriginalMessage());
		}
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
