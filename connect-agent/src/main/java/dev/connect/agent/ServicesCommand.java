package dev.connect.agent;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code services register FILE} and {@code services deregister -id ID | FILE}, as consul's
 * {@code command/services}: a service definition file holds {@code "Service": {...}} or {@code "Services": [...]}
 * (JSON; consul also reads HCL), each registered with the local agent; and {@code catalog nodes}, consul's table.
 */
final class ServicesCommand {

	static final String USAGE = """
			    services register FILE                    Register the services defined in FILE (JSON)
			    services deregister -id ID | FILE         Deregister a service by ID, or those defined in FILE
			    catalog nodes                             List nodes: Node, ID (8 characters), Address, DC
			""";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private ServicesCommand() {
	}

	static int run(List<String> args, Map<String, String> env, PrintStream out) {
		Map<String, String> flags = new HashMap<>();
		List<String> positional = new ArrayList<>();
		for (int i = 1; i < args.size(); i++) {
			String arg = args.get(i);
			String name = arg.startsWith("-") ? arg.substring(1).split("=", 2)[0] : "";
			if (name.isEmpty()) {
				positional.add(arg);
			}
			else if (!name.equals("id") && !AgentConnection.FLAGS.contains(name)) {
				throw new DevAgentMain.UsageException("Unknown flag '" + arg + "'; run with --help to list them");
			}
			else if (arg.contains("=")) {
				flags.put(name, arg.substring(arg.indexOf('=') + 1));
			}
			else if (i + 1 < args.size()) {
				flags.put(name, args.get(++i));
			}
			else {
				throw new DevAgentMain.UsageException("Flag '-" + name + "' needs a value");
			}
		}
		AgentConnection agent = AgentConnection.of(flags, env);
		return switch (args.isEmpty() ? "" : args.get(0)) {
			case "register" -> register(agent, positional, out);
			case "deregister" -> deregister(agent, flags.get("id"), positional, out);
			case "nodes" -> nodes(agent, out);
			default -> throw new DevAgentMain.UsageException("Usage: services register|deregister, catalog nodes");
		};
	}

	private static int register(AgentConnection agent, List<String> files, PrintStream out) {
		if (files.isEmpty()) {
			throw new DevAgentMain.CommandException("Service registration requires at least one argument.");
		}
		for (String file : files) {
			for (Map<String, Object> service : definitions(file)) {
				String name = String.valueOf(service.getOrDefault("Name", service.getOrDefault("name", "")));
				HttpResponse<String> response = agent.send("PUT", "/v1/agent/service/register",
						JSON.writeValueAsString(service));
				String error = AgentConnection.unexpected(response);
				if (error != null) {
					throw new DevAgentMain.CommandException("Error registering service \"" + name + "\": " + error);
				}
				out.println("Registered service: " + name);
			}
		}
		return 0;
	}

	private static int deregister(AgentConnection agent, @Nullable String id, List<String> files,
			PrintStream out) {
		List<String> ids = new ArrayList<>();
		if (id != null && !id.isEmpty()) {
			ids.add(id);
		}
		files.forEach((file) -> definitions(file).forEach((service) -> ids.add(String.valueOf(
				service.getOrDefault("ID", service.getOrDefault("Name", ""))))));
		if (ids.isEmpty()) {
			throw new DevAgentMain.CommandException("Either a file path or -id must be specified.");
		}
		for (String serviceId : ids) {
			HttpResponse<String> response = agent.send("PUT",
					"/v1/agent/service/deregister/" + URLEncoder.encode(serviceId, StandardCharsets.UTF_8), null);
			String error = AgentConnection.unexpected(response);
			if (error != null) {
				throw new DevAgentMain.CommandException("Error deregistering service \"" + serviceId + "\": " + error);
			}
			out.println("Deregistered service: " + serviceId);
		}
		return 0;
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> definitions(String file) {
		Map<String, Object> definition;
		try {
			definition = AgentCli.jsonOrHcl(Files.readString(Path.of(file)));
		}
		catch (IOException | JacksonException | IllegalArgumentException ex) {
			throw new DevAgentMain.CommandException("Error parsing " + file + ": " + AgentCli.reasonOf(ex));
		}
		// HCL files name the blocks in lower case, as consul's examples do.
		Object single = definition.containsKey("Service") ? definition.get("Service") : definition.get("service");
		Object several = definition.containsKey("Services") ? definition.get("Services") : definition.get("services");
		if (single instanceof Map<?, ?> service) {
			return List.of((Map<String, Object>) service);
		}
		if (several instanceof List<?> services) {
			return services.stream().map((service) -> (Map<String, Object>) service).toList();
		}
		throw new DevAgentMain.CommandException("Error parsing " + file + ": no \"Service\" or \"Services\" block");
	}

	private static int nodes(AgentConnection agent, PrintStream out) {
		HttpResponse<String> response = agent.send("GET", "/v1/catalog/nodes", null);
		String error = AgentConnection.unexpected(response);
		if (error != null) {
			throw new DevAgentMain.CommandException("Error listing nodes: " + error);
		}
		List<Map<String, Object>> nodes = JSON.readValue(response.body(),
				new TypeReference<List<Map<String, Object>>>() {
				});
		List<String[]> rows = new ArrayList<>();
		rows.add(new String[] { "Node", "ID", "Address", "DC" });
		for (Map<String, Object> node : nodes) {
			String nodeId = String.valueOf(node.getOrDefault("ID", ""));
			rows.add(new String[] { String.valueOf(node.get("Node")), nodeId.substring(0, Math.min(8, nodeId.length())),
					String.valueOf(node.get("Address")), String.valueOf(node.get("Datacenter")) });
		}
		int[] widths = new int[4];
		rows.forEach((row) -> {
			for (int c = 0; c < 4; c++) {
				widths[c] = Math.max(widths[c], row[c].length());
			}
		});
		for (String[] row : rows) {
			out.println(String.format("%-" + widths[0] + "s  %-" + widths[1] + "s  %-" + widths[2] + "s  %s", row[0],
					row[1], row[2], row[3]));
		}
		return 0;
	}

}
