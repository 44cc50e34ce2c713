package dev.connect.agent;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The command line of {@code connect-agent.jar}. This class only parses arguments and prints; the work is done by
 * {@link DevAgent}.
 * <pre>
 * java -jar connect-agent.jar agent -dev [-http-port 8500] [-bind 127.0.0.1] [-datacenter dc1] [-node NAME]
 *                                         [-data-dir DIR] [-default-intention-policy allow|deny]
 *                                         [-acl-management-token TOKEN]
 * </pre>
 */
public final class DevAgentMain {

	static final String USAGE = """
			Usage: java -jar connect-agent.jar <command> [options]

			Commands:
			    agent -dev    Run a development agent: built-in CA, intentions, catalog and Consul's HTTP API

			Agent options:
			    -http-port <port>                     HTTP port (default 8500; 0 picks a free port)
			    -bind <address>, -client <address>    Address the HTTP API binds (default 127.0.0.1)
			    -datacenter <name>                    Datacenter (default dc1)
			    -node <name>                          Node name (default dev-agent)
			    -data-dir <dir>                       Keep state across restarts in this directory
			    -default-intention-policy allow|deny  Decision when no intention matches (default deny)
			    -acl-management-token <token>         Require this token on every request
			""";

	private DevAgentMain() {
	}

	public static void main(String[] args) {
		int status = run(args, System.getenv(), System.in, System.out, System.err);
		if (status != 0) {
			System.exit(status);
		}
	}

	static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
		return run(args, env, InputStream.nullInputStream(), out, err);
	}

	/** Runs one command line; {@code in} is what {@code -file -} and {@code config write -} read. */
	static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
		if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
			out.print(USAGE);
			out.print(AgentCli.USAGE);
			out.print(IntentionWrites.USAGE);
			out.print(ConnectCaCommand.USAGE);
			out.print(ConfigCommand.USAGE);
			out.print(ServicesCommand.USAGE);
			return (args.length == 0) ? 1 : 0;
		}
		try {
			return switch (args[0]) {
				case "agent" -> agent(Arrays.asList(args).subList(1, args.length), out);
				case "catalog" -> (args.length > 1 && args[1].equals("nodes"))
						? ServicesCommand.run(Arrays.asList(args).subList(1, args.length), env, out)
						: AgentCli.run(Arrays.asList(args), env, out);
				case "intention" -> (args.length > 1 && (args[1].equals("create") || args[1].equals("delete")))
						? IntentionWrites.run(Arrays.asList(args).subList(1, args.length), env, in, out)
						: AgentCli.run(Arrays.asList(args), env, out);
				case "ca", "leaf" -> AgentCli.run(Arrays.asList(args), env, out);
				case "connect" -> ConnectCaCommand.run(Arrays.asList(args).subList(1, args.length), env, out);
				case "config" -> ConfigCommand.run(Arrays.asList(args).subList(1, args.length), env, in, out);
				case "services" -> ServicesCommand.run(Arrays.asList(args).subList(1, args.length), env, out);
				default -> throw new UsageException("Unknown command '" + args[0] + "'; run with --help to list them");
			};
		}
		catch (UsageException | IllegalArgumentException | IllegalStateException ex) {
			// Consul's commands print their own texts as they are; only the others get the "Error: " prefix.
			err.println(((ex instanceof CommandException) ? "" : "Error: ") + AgentCli.reasonOf(ex));
			// As consul's: 'intention check' exits 1 only for "Denied", so a script can tell an error (2) from it.
			return (args.length > 1 && args[0].equals("intention") && args[1].equals("check")) ? 2 : 1;
		}
	}

	private static int agent(List<String> args, PrintStream out) {
		DevAgentSettings settings = parseAgentFlags(args);
		DevAgent agent = DevAgent.start(settings);
		Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "connect-agent-shutdown"));
		out.println("==> Connect dev agent running!");
		out.println("           HTTP API: " + agent.httpAddress());
		out.println("         Datacenter: " + settings.datacenter());
		out.println("               Node: " + settings.nodeName());
		out.println("       Trust domain: " + agent.trustDomain());
		out.println("  Default intention: " + settings.defaultIntentionPolicy());
		out.println("           Data dir: " + ((settings.dataDir() != null) ? settings.dataDir() : "none (in memory)"));
		out.println("               ACLs: " + ((settings.aclManagementToken() != null) ? "enabled" : "disabled"));
		out.println();
		out.println("==> WARNING: this agent runs in development mode. Its CA keys are not protected and it is");
		out.println("    not a cluster: never use it as a production CA. Point production apps at a Consul agent.");
		out.println("==> Export CONSUL_HTTP_ADDR=" + agent.httpAddress() + " to use it from the CLI.");
		out.flush();
		agent.awaitClose();
		return 0;
	}

	static DevAgentSettings parseAgentFlags(List<String> args) {
		DevAgentSettings settings = DevAgentSettings.defaults();
		boolean dev = false;
		for (int i = 0; i < args.size(); i++) {
			String arg = args.get(i);
			String name = arg.replaceFirst("^--?", "");
			String value = null;
			int equals = name.indexOf('=');
			if (equals >= 0) {
				value = name.substring(equals + 1);
				name = name.substring(0, equals);
			}
			if (name.equals("dev")) {
				dev = true;
				continue;
			}
			if (value == null) {
				if (i + 1 >= args.size()) {
					throw new UsageException("Flag '-" + name + "' needs a value");
				}
				value = args.get(++i);
			}
			settings = applyFlag(settings, name, value);
		}
		if (!dev) {
			throw new UsageException("The agent only runs in development mode: add -dev");
		}
		return settings;
	}

	private static DevAgentSettings applyFlag(DevAgentSettings settings, String name, String value) {
		return switch (name) {
			case "http-port" -> settings.withHttpPort(port(value));
			case "bind", "client" -> settings.withBindAddress(value);
			case "datacenter" -> settings.withDatacenter(value);
			case "node" -> settings.withNodeName(value);
			case "data-dir" -> settings.withDataDir(Path.of(value));
			case "default-intention-policy" -> settings.withDefaultIntentionPolicy(value);
			case "acl-management-token" -> settings.withAclManagementToken(value);
			default -> throw new UsageException("Unknown flag '-" + name + "'; run with --help to list them");
		};
	}

	private static int port(String value) {
		try {
			return Integer.parseInt(value);
		}
		catch (NumberFormatException ex) {
			throw new UsageException("HTTP port '" + value + "' must be a number between 0 and 65535");
		}
	}

	/** A failure worded as Consul's command words it, printed without a prefix. */
	static final class CommandException extends UsageException {

		CommandException(String message) {
			super(message);
		}

	}

	static class UsageException extends RuntimeException {

		UsageException(String message) {
			super(message);
		}

	}

}
