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
			+ "-listen, -upstream, -http-addr, -token, -token-file, -ca-file, -log-level";

	static final String NOT_YET = "Flag '%s' is not supported yet: register the proxy with Connect.SidecarService and "
			+ "run with -sidecar-for <service-id> or -proxy-id <id>";

	static final String NEEDS_VALUE = "Flag '%s' needs a value";

	static final String LOG_LEVEL = "Log level '%s' must be one of trace, debug, info, warn, error";

	static final String EMPTY = "Flag '%s' must not be empty";

	private static final Set<String> STATIC = Set.of("register", "register-id", "log-json", "datacenter");

	private static final Set<String> KNOWN = Set.of("sidecar-for", "proxy-id", "service", "service-addr", "listen",
			"upstream", "http-addr", "token", "token-file", "ca-file", "log-level");

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

	private static void check(String name) {
		if (STATIC.contains(name)) {
			throw new IllegalArgumentException(String.format(NOT_YET, "-" + name));
		}
		if (!KNOWN.contains(name)) {
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
		// A mode given by flag wins over the variables of the other modes.
		boolean byFlag = flags.containsKey("proxy-id") || flags.containsKey("sidecar-for") || flags.containsKey("service");
		@Nullable String proxyId = byFlag ? flags.get("proxy-id") : blankToNull(environment.get("CONNECT_PROXY_ID"));
		@Nullable String sidecarFor = byFlag ? flags.get("sidecar-for")
				: blankToNull(environment.get("CONNECT_SIDECAR_FOR"));
		return new ProxyConfig(agent, proxyId, sidecarFor, flags.get("service"), flags.get("service-addr"),
				flags.get("listen"), upstreams, level);
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value.trim();
	}

}
