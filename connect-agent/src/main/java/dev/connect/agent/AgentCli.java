package dev.connect.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.connect.api.CaConfiguration;
import dev.connect.api.CaRoot;
import dev.connect.api.CaRoots;
import dev.connect.api.Intention;
import dev.connect.api.LeafCert;
import dev.connect.pki.Pem;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The CLI against any agent, the dev agent or a real Consul agent, over the HTTP API. Output is plain and
 * scriptable; errors go to stderr with exit status 1 ({@code intention check}, as consul's, exits 1 when denied and
 * 2 on an error).
 */
final class AgentCli {

	static final String USAGE = """
			Commands against an agent (-http-addr or CONSUL_HTTP_ADDR, default http://127.0.0.1:8500;
			-token or CONSUL_HTTP_TOKEN, -token-file or CONSUL_HTTP_TOKEN_FILE; -ca-file or CONSUL_CACERT for an
			HTTPS agent; -datacenter):
			    intention check SRC DST                   Print Allowed or Denied; exit 0 allowed, 1 denied, 2 error
			    intention list                            List intentions in evaluation order
			    intention get SRC DST | intention get ID  Show an intention, as consul's intention get
			    intention match -source|-destination NAME List the intentions that apply to NAME as a source
			                                              (or destination), in evaluation order
			    catalog services                          List service names
			    ca roots                                  List CA roots: ID, active flag, expiry
			    ca rotate                                 Rotate the CA root to a new EC P-256 key (cross-signed)
			    leaf SERVICE -out DIR                     Write DIR/SERVICE.pem, DIR/SERVICE-key.pem and DIR/ca.pem,
			                                              and print how to call a mesh service with them from curl
			""";

	private static final String LEAF_USAGE = "leaf SERVICE -out DIR";

	private static final JsonMapper JSON = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.build();

	private final PrintStream out;

	private final AgentConnection agent;

	private AgentCli(AgentConnection agent, PrintStream out) {
		this.agent = agent;
		this.out = out;
	}

	static int run(List<String> args, Map<String, String> env, PrintStream out) {
		List<String> positional = new ArrayList<>();
		Map<String, String> connection = new java.util.HashMap<>();
		String outDir = null;
		boolean bySource = false;
		boolean byDestination = false;
		for (int i = 0; i < args.size(); i++) {
			String arg = args.get(i);
			if (arg.startsWith("-") && AgentConnection.FLAGS.contains(arg.substring(1).split("=", 2)[0])) {
				String name = "-" + arg.substring(1).split("=", 2)[0];
				connection.put(name.substring(1), flagValue(args, i, name));
				i += arg.contains("=") ? 0 : 1;
			}
			else if (arg.equals("-source")) {
				bySource = true;
			}
			else if (arg.equals("-destination")) {
				byDestination = true;
			}
			else if (arg.startsWith("-out")) {
				outDir = flagValue(args, i, "-out");
				i += arg.contains("=") ? 0 : 1;
			}
			else if (arg.startsWith("-")) {
				throw new DevAgentMain.UsageException("Unknown flag '" + arg + "'; run with --help to list them");
			}
			else {
				positional.add(arg);
			}
		}
		AgentCli cli = new AgentCli(AgentConnection.of(connection, env), out);
		if (!positional.isEmpty() && positional.get(0).equals("leaf")) {
			return cli.leaf(arguments(positional.subList(1, positional.size()), 1, LEAF_USAGE).get(0), outDir);
		}
		if (positional.size() >= 2 && positional.get(0).equals("intention") && positional.get(1).equals("get")) {
			return IntentionReads.get(cli.agent, positional.subList(2, positional.size()), out);
		}
		if (positional.size() >= 2 && positional.get(0).equals("intention") && positional.get(1).equals("match")) {
			return IntentionReads.match(cli.agent, bySource, byDestination, positional.subList(2, positional.size()),
					out);
		}
		return cli.command(positional);
	}

	private static String flagValue(List<String> args, int i, String name) {
		String arg = args.get(i);
		if (arg.startsWith(name + "=")) {
			return arg.substring(name.length() + 1);
		}
		if (!arg.equals(name) || i + 1 >= args.size()) {
			throw new DevAgentMain.UsageException("Flag '" + name + "' needs a value");
		}
		return args.get(i + 1);
	}

	private int command(List<String> words) {
		String command = String.join(" ", words.subList(0, Math.min(2, words.size())));
		List<String> rest = words.subList(Math.min(2, words.size()), words.size());
		return switch (command) {
			case "intention check" -> intentionCheck(arguments(rest, 2, "intention check SRC DST"));
			case "intention list" -> intentionList(arguments(rest, 0, "intention list"));
			case "catalog services" -> catalogServices(arguments(rest, 0, "catalog services"));
			case "ca roots" -> caRoots(arguments(rest, 0, "ca roots"));
			case "ca rotate" -> caRotate(arguments(rest, 0, "ca rotate"));
			default -> throw new DevAgentMain.UsageException(
					"Unknown command '" + command + "'; run with --help to list them");
		};
	}

	private static List<String> arguments(List<String> rest, int count, String usage) {
		if (rest.size() != count) {
			throw new DevAgentMain.UsageException("Usage: " + usage);
		}
		return rest;
	}

	private int intentionCheck(List<String> names) {
		String body = request("GET", "/v1/connect/intentions/check?source=" + encode(names.get(0)) + "&destination="
				+ encode(names.get(1)), null);
		boolean allowed = read(body, new TypeReference<Map<String, Boolean>>() {
		}).getOrDefault("Allowed", false);
		this.out.println(allowed ? "Allowed" : "Denied");
		return allowed ? 0 : 1;
	}

	private int intentionList(List<String> unused) {
		List<Intention> intentions = read(request("GET", "/v1/connect/intentions", null),
				new TypeReference<List<Intention>>() {
				});
		this.out.printf("%-12s %-24s %-6s %-24s %s%n", "ID", "Source", "Action", "Destination", "Precedence");
		for (Intention intention : intentions) {
			String action = (intention.action() != null && !intention.action().isEmpty()) ? intention.action() : "L7";
			this.out.printf("%-12s %-24s %-6s %-24s %d%n", (intention.id() != null) ? intention.id() : "",
					intention.sourceName(), action, intention.destinationName(), intention.precedence());
		}
		return 0;
	}

	private int catalogServices(List<String> unused) {
		Map<String, List<String>> services = read(request("GET", "/v1/catalog/services", null),
				new TypeReference<Map<String, List<String>>>() {
				});
		services.keySet().stream().sorted().forEach(this.out::println);
		return 0;
	}

	private int caRoots(List<String> unused) {
		CaRoots roots = read(request("GET", "/v1/agent/connect/ca/roots", null), new TypeReference<CaRoots>() {
		});
		this.out.println("TrustDomain " + roots.trustDomain());
		for (CaRoot root : roots.roots()) {
			this.out.println(root.id() + " active=" + root.active() + " notAfter=" + root.notAfter());
		}
		return 0;
	}

	private int caRotate(List<String> unused) {
		CaConfiguration current = read(request("GET", "/v1/connect/ca/configuration", null),
				new TypeReference<CaConfiguration>() {
				});
		Map<String, Object> config = new LinkedHashMap<>((current.config() != null) ? current.config() : Map.of());
		KeyPair key = newRootKey();
		config.put("PrivateKey", Pem.encodeSec1(key.getPrivate(), key.getPublic()));
		config.remove("RootCert");
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("Provider", (current.provider() != null) ? current.provider() : "consul");
		body.put("Config", config);
		request("PUT", "/v1/connect/ca/configuration", JSON.writeValueAsString(body));
		CaRoots roots = read(request("GET", "/v1/agent/connect/ca/roots", null), new TypeReference<CaRoots>() {
		});
		this.out.println("Rotated: active root " + roots.activeRootId() + " (" + roots.roots().size()
				+ " roots trusted)");
		return 0;
	}

	private int leaf(String service, @Nullable String outDir) {
		if (outDir == null) {
			throw new DevAgentMain.UsageException("Usage: " + LEAF_USAGE);
		}
		LeafFiles.requireFileName(service);
		Path directory = Path.of(outDir);
		LeafFiles.requireWritable(directory);
		LeafCert leaf = read(request("GET", "/v1/agent/connect/ca/leaf/" + encode(service), null),
				new TypeReference<LeafCert>() {
				});
		CaRoots roots = read(request("GET", "/v1/agent/connect/ca/roots", null), new TypeReference<CaRoots>() {
		});
		LeafFiles.Written written = LeafFiles.verified(service, leaf, roots, Clock.systemUTC()).write(directory);
		this.out.print(written.instructions());
		return 0;
	}

	private static KeyPair newRootKey() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			return generator.generateKeyPair();
		}
		catch (java.security.GeneralSecurityException ex) {
			throw new IllegalStateException("Unable to generate a root key", ex);
		}
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private String request(String method, String path, @Nullable String body) {
		HttpResponse<String> response = this.agent.send(method, path, body);
		if (response.statusCode() / 100 != 2) {
			throw new DevAgentMain.UsageException(
					"Agent answered " + response.statusCode() + " to " + method + " " + path + ": " + response.body().trim());
		}
		return response.body();
	}

	/**
	 * Decodes a command's input as consul does: JSON when it starts with an opening brace, HCL otherwise.
	 * @throws JacksonException or IllegalArgumentException (HCL, naming line and column) when it cannot
	 */
	static Map<String, Object> jsonOrHcl(String text) {
		if (text.stripLeading().startsWith("{")) {
			return JSON.readValue(text, new tools.jackson.core.type.TypeReference<Map<String, Object>>() {
			});
		}
		return Hcl.parse(text);
	}

	/**
	 * Reads a command's data as consul's {@code LoadDataSourceNoRaw} does: {@code -} is standard input, anything else
	 * a file; a failure reads as Go's ({@code Failed to read file: open x: no such file or directory}).
	 */
	static String loadData(String source, InputStream in) {
		if (source.isEmpty()) {
			throw new DevAgentMain.UsageException("Failed to load data: must specify a file path or '-' for stdin");
		}
		try {
			byte[] bytes = source.equals("-") ? in.readAllBytes() : Files.readAllBytes(Path.of(source));
			return new String(bytes, StandardCharsets.UTF_8);
		}
		catch (NoSuchFileException ex) {
			throw new DevAgentMain.UsageException("Failed to read file: open " + source + ": no such file or directory");
		}
		catch (AccessDeniedException ex) {
			throw new DevAgentMain.UsageException("Failed to read file: open " + source + ": permission denied");
		}
		catch (IOException ex) {
			throw new DevAgentMain.UsageException((source.equals("-") ? "Failed to read stdin: " : "Failed to read file: ")
					+ reasonOf(ex));
		}
	}

	/** An exception's message, or its class when it has none, so that an error never reads {@code null}. */
	static String reasonOf(Exception ex) {
		String message = ex.getMessage();
		return (message != null) ? message : ex.getClass().getName();
	}

	private static <T> T read(String body, TypeReference<T> type) {
		try {
			return JSON.readValue(body, type);
		}
		catch (JacksonException ex) {
			throw new DevAgentMain.UsageException("Unable to read the agent's answer: " + ex.getOriginalMessage());
		}
	}

}
