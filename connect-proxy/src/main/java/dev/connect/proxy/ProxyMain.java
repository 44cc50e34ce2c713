package dev.connect.proxy;

import java.io.PrintStream;
import java.lang.System.Logger;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;

import dev.connect.client.AgentClient;
import dev.connect.client.AgentException;
import dev.connect.proxy.metrics.AdminServer;
import dev.connect.proxy.metrics.ProxyMetrics;
import org.jspecify.annotations.Nullable;

/**
 * {@code java -jar connect-proxy.jar -sidecar-for <service-id>}: Consul's {@code consul connect proxy} command line.
 * Parses the flags and the environment, finds the proxy registration and runs it until the process is stopped.
 * An agent that cannot be reached yet is waited for, saying so at every attempt (every 1, 2, 4, then 5 seconds);
 * every refusal is one line on standard error naming the value and what is allowed, with exit code 1, and nothing
 * is left started.
 */
public final class ProxyMain {

	static final String USAGE = """
			Usage: java -jar connect-proxy.jar (-sidecar-for <service-id> | -proxy-id <id> | -service <name>) [options]

			  -sidecar-for <id>   Run as the one sidecar registered for this service ID (env CONNECT_SIDECAR_FOR)
			  -proxy-id <id>      Run as this registered connect-proxy service (env CONNECT_PROXY_ID)
			  -service <name>     Static mode: run for this service without a proxy registration
			  -service-addr <h:p> Static mode: the local app the public listener forwards to
			  -listen <h:p>       Static mode: the public listener (none without it)
			  -upstream <u>       Static mode: name[.service]:[host:]port, repeatable
			  -http-addr <addr>   The agent's HTTP address (env CONSUL_HTTP_ADDR, default http://127.0.0.1:8500)
			  -token <token>      ACL token (env CONSUL_HTTP_TOKEN)
			  -token-file <file>  File holding the ACL token (env CONSUL_HTTP_TOKEN_FILE)
			  -ca-file <file>     CA certificate of an HTTPS agent (env CONSUL_CACERT)
			  -register           Static mode: register the proxy with the agent and heartbeat it (needs -listen)
			  -register-id <id>   Static mode: the registered ID is <service>-proxy-<id>
			  -datacenter <dc>    The agent's datacenter (another one is refused)
			  -admin-addr <h:p>   Serve /metrics (Prometheus) and /ready on this loopback address
			  -log-level <level>  trace, debug, info (default), warn or error
			  -log-json           Log lines as JSON objects
			  -tls-provider <p>   jdk (default: TCP half-close passed through) or boringssl (faster handshakes)
			""";

	private static final Logger logger = System.getLogger(ProxyMain.class.getName());

	private ProxyMain() {
	}

	public static void main(String[] args) {
		int status = run(args, System.getenv(), System.out, System.err);
		if (status != 0) {
			System.exit(status);
		}
	}

	static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
		if (args.length == 1 && (args[0].equals("-h") || args[0].equals("--help") || args[0].equals("-help"))) {
			out.print(USAGE);
			return 0;
		}
		SidecarProxy proxy;
		try {
			ProxyConfig config = ProxyFlags.parse(Arrays.asList(args), environment);
			logLevel(config.logLevel(), config.logJson());
			proxy = start(config, null);
		}
		catch (IllegalArgumentException | IllegalStateException | AgentException ex) {
			err.println("Error: " + ex.getMessage());
			return 1;
		}
		out.println("==> Connect proxy running: public listener " + proxy.publicAddress() + ", upstreams "
				+ proxy.upstreamAddresses() + ((proxy.tlsProvider() != null) ? ", TLS " + proxy.tlsProvider() : "")
				+ ((proxy.adminAddress() != null) ? ", admin " + proxy.adminAddress() : ""));
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			proxy.close();
			stopped.countDown();
		}, "connect-proxy-shutdown"));
		try {
			stopped.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return 0;
	}

	/**
	 * Starts the proxy, waiting for an agent that cannot be reached yet (not for one that answers with a refusal).
	 * With {@code -admin-addr}, the admin server starts first and answers {@code /ready} with 503 until the proxy
	 * serves.
	 * @param config the configuration
	 * @param agentWait how long to keep trying to reach the agent; {@code null} for as long as it takes
	 * @return the running proxy
	 */
	static SidecarProxy start(ProxyConfig config, @Nullable Duration agentWait) {
		ProxyMetrics metrics = new ProxyMetrics();
		AtomicReference<SidecarProxy> running = new AtomicReference<>();
		String adminAddress = config.adminAddress();
		AdminServer admin = (adminAddress != null) ? AdminServer.start(adminAddress, metrics, () -> {
			SidecarProxy proxy = running.get();
			return proxy != null && proxy.ready();
		}) : null;
		try {
			SidecarProxy proxy = startWaiting(config, agentWait, metrics);
			if (admin != null) {
				proxy.admin(admin);
			}
			running.set(proxy);
			return proxy;
		}
		catch (RuntimeException ex) {
			if (admin != null) {
				admin.close();
			}
			throw ex;
		}
	}

	private static SidecarProxy startWaiting(ProxyConfig config, @Nullable Duration agentWait, ProxyMetrics metrics) {
		long deadline = (agentWait != null) ? System.nanoTime() + agentWait.toNanos() : Long.MAX_VALUE;
		Duration pause = Duration.ofSeconds(1);
		while (true) {
			try {
				return startOnce(config, metrics);
			}
			catch (AgentException ex) {
				if (ex.answered() || System.nanoTime() + pause.toNanos() - deadline > 0) {
					throw ex;
				}
				logger.log(Logger.Level.WARNING, "Waiting for the agent: {0}; trying again in {1} s", ex.getMessage(),
						pause.toSeconds());
				sleep(pause);
				pause = (pause.toSeconds() < 5) ? pause.plus(pause) : Duration.ofSeconds(5);
			}
		}
	}

	private static void sleep(Duration pause) {
		try {
			Thread.sleep(pause.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the agent", ex);
		}
	}

	/** Starts the proxy without waiting for an agent that cannot be reached. */
	static SidecarProxy start(ProxyConfig config) {
		return start(config, Duration.ZERO);
	}

	private static SidecarProxy startOnce(ProxyConfig config, ProxyMetrics metrics) {
		AgentClient client = AgentClient.create(config.agent());
		String service = config.service();
		if (service != null) {
			ProxyRegistration registration = ProxyRegistration.ofFlags(service, config.serviceAddress(), config.listen(),
					config.upstreams());
			SidecarProxy proxy = SidecarProxy.startStatic(client, registration, config.listen() != null,
					Clock.systemUTC(), Duration.ofSeconds(30), config.datacenter(), metrics,
					config.tlsProvider().equals("boringssl"));
			if (config.register()) {
				register(client, config, registration, proxy);
			}
			return proxy;
		}
		String sidecarFor = config.sidecarFor();
		String proxyId = (sidecarFor != null)
				? SidecarLookup.proxyIdFor(client, sidecarFor, config.agent().requestTimeout().plusSeconds(1))
				: config.proxyId();
		return SidecarProxy.start(client, java.util.Objects.requireNonNull(proxyId), Clock.systemUTC(),
				Duration.ofSeconds(30), config.datacenter(), metrics,
					config.tlsProvider().equals("boringssl"));
	}

	/** {@code -register}: the public listener as bound, under the host given to {@code -listen} (Consul's). */
	private static void register(AgentClient client, ProxyConfig config, ProxyRegistration registration,
			SidecarProxy proxy) {
		String listen = java.util.Objects.requireNonNull(config.listen());
		String host = (listen.lastIndexOf(':') > 0) ? listen.substring(0, listen.lastIndexOf(':')) : "";
		try {
			proxy.closeFirst(ProxyRegistrar.start(client, registration.destination(), config.registerId(), host,
					registration.publicAddress().getPort(), ProxyRegistrar.TTL));
		}
		catch (RuntimeException ex) {
			proxy.close();
			throw ex;
		}
	}

	private static void logLevel(String level, boolean json) {
		Level jul = switch (level) {
			case "trace" -> Level.FINEST;
			case "debug" -> Level.FINE;
			case "warn" -> Level.WARNING;
			case "error" -> Level.SEVERE;
			default -> Level.INFO;
		};
		java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
		root.setLevel(jul);
		Arrays.stream(root.getHandlers()).forEach((handler) -> {
			handler.setLevel(jul);
			if (json) {
				handler.setFormatter(new JsonLogFormatter(java.time.Clock.systemUTC()));
			}
		});
	}

}
