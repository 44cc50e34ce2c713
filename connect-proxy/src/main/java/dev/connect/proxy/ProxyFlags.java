package dev.connect.proxy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.connect.client.AgentClientSettings;
import org.jspecify.annotations.Nullable;

/**
 * Parses Consul's {@code consul connect proxy} flags ({@code -name value} or {@code -name=value}, one or two dashes)
 * over the environment variables that stand for them; a flag wins over its variable.
 */
final class ProxyFlags {

	static final String UNKNOWN = "Unknown flag '%s'; allowed: -sidecar-for, -proxy-id, -service, -service-addr, "
			+ "-listen, -upstream, -register, -register-id, -http-addr, -token, -token-file, -ca-file, -datacenter, "
			+ "-log-level, -log-json, -admin-addr, -tls-provider";

	static final String TLS_PROVIDER = "TLS provider '%s' must be jdk (TCP half-close passed through) or boringssl "
			+ "(netty-tcnative; a peer's close_notify ends both directions)";

	static final String SWITCH = "Flag '%s' is a switch: give it alone, or as %s=true or %s=false, not '%s'";

	static final String NEEDS_VALUE = "Flag '%s' needs a value";

	static final String LOG_LEVEL = "Log level '%s' must be one of trace, debug, info, warn, error";

	static final String EMPTY = "Flag '%s' must not be empty";

	/** Flags that take no value (Go's boolean flags: {@code -register}, {@code -register=false}). */
	private static final Set<String> SWITCHES = Set.of("register", "log-json");

	private static final Set<String> KNOWN = Set.of("sidecar-for", "proxy-id", "service", "service-addr", "listen",
			"upstream", "register-id", "http-addr", "token", "token-file", "ca-file", "datacenter", "log-level",
			"admin-addr", "tls-provider");

	private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error");

	private ProxyFlags() {
	}

	static ProxyConfig parse(List<String> args, Map<String, String> environment) {
		Map<String, String> flags = new HashMap<>();
		List<String> upstreams = new ArrayList<>();
		for (int i = 0; i < args.size(); i++) {
			String arg = args.get(i);
			if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
				throw new IllegalArgumentException("Unexpected argument '" + arg + "': every option is a -flag");
			}
			String name = arg.substring(arg.startsWith("--") ? 2 : 1);
			@Nullable String value = null;
			int equals = name.indexOf('=');
			if (equals >= 0) {
				value = name.substring(equals + 1);
				name = name.substring(0, equals);
			}
			check(name);
			if (SWITCHES.contains(name)) {
				flags.put(name, switchValue(name, value));
				continue;
			}
			if (value == null) {
				if (i + 1 >= args.size()) {
					throw new IllegalArgumentException(String.format(NEEDS_VALUE, "-" + name));
				}
				value = args.get(++i);
			}
			if (value.isBlank()) {
				throw new IllegalArgumentException(String.format(EMPTY, "-" + name));
			}
			if (name.equals("upstream")) {
				upstreams.add(value.trim());
			}
			else {
				flags.put(name, value.trim());
			}
		}
		return config(flags, upstreams, environment);
	}

	private static String switchValue(String name, @Nullable String value) {
		if (value == null || value.equalsIgnoreCase("true")) {
			return "true";
		}
		if (value.equalsIgnoreCase("false")) {
			return "false";
		}
		String flag = "-" + name;
		throw new IllegalArgumentException(String.format(SWITCH, flag, flag, flag, value));
	}

	private static void check(String name) {
		if (!KNOWN.contains(name) && !SWITCHES.contains(name)) {
			throw new IllegalArgumentException(String.format(UNKNOWN, "-" + name));
		}
	}

	private static ProxyConfig config(Map<String, String> flags, List<String> upstreams,
			Map<String, String> environment) {
		AgentClientSettings agent = AgentClientSettings.fromEnvironment(environment);
		if (flags.containsKey("http-addr")) {
			agent = agent.withAddress(AgentClientSettings.parseAddress(flags.get("http-addr")));
		}
		if (flags.containsKey("token-file")) {
			agent = agent.withToken(AgentClientSettings.readToken(Path.of(flags.get("token-file"))));
		}
		if (flags.containsKey("token")) {
			agent = agent.withToken(flags.get("token"));
		}
		if (flags.containsKey("ca-file")) {
			Path caFile = Path.of(flags.get("ca-file"));
			agent = new AgentClientSettings(agent.address(), agent.token(), agent.requestTimeout(), caFile);
		}
		String level = flags.getOrDefault("log-level", "info").toLowerCase(Locale.ROOT);
		if (!LEVELS.contains(level)) {
			throw new IllegalArgumentException(String.format(LOG_LEVEL, flags.get("log-level")));
		}
		String tls = flags.getOrDefault("tls-provider", "jdk").toLowerCase(Locale.ROOT);
		if (!tls.equals("jdk") && !tls.equals("boringssl")) {
			throw new IllegalArgumentException(String.format(TLS_PROVIDER, flags.get("tls-provider")));
		}
		// A mode given by flag wins over the variables of the other modes.
		boolean byFlag = flags.containsKey("proxy-id") || flags.containsKey("sidecar-for") || flags.containsKey("service");
		@Nullable String proxyId = byFlag ? flags.get("proxy-id") : blankToNull(environment.get("CONNECT_PROXY_ID"));
		@Nullable String sidecarFor = byFlag ? flags.get("sidecar-for")
				: blankToNull(environment.get("CONNECT_SIDECAR_FOR"));
		return new ProxyConfig(agent, proxyId, sidecarFor, flags.get("service"), flags.get("service-addr"),
				flags.get("listen"), upstreams, Boolean.parseBoolean(flags.get("register")), flags.get("register-id"),
				flags.get("datacenter"), flags.get("admin-addr"), level, Boolean.parseBoolean(flags.get("log-json")), tls);
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value.trim();
	}

}
