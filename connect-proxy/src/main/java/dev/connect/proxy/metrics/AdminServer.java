package dev.connect.proxy.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * {@code -admin-addr}: a loopback-only HTTP server answering {@code GET /metrics} (Prometheus text format) and
 * {@code GET /ready} (200 once the public listener serves with valid TLS material, 503 before and whenever the
 * material is gone or expired). Anything else is 404; methods other than GET and HEAD are 405.
 */
public final class AdminServer implements AutoCloseable {

	static final String NOT_LOOPBACK = "Admin address '%s' must be a loopback address such as 127.0.0.1:19000: "
			+ "metrics and readiness are not served to the network";

	static final String MALFORMED = "Admin address '%s' must be host:port with a port between 0 and 65535, for "
			+ "example 127.0.0.1:19000";

	private final HttpServer server;

	private final ExecutorService executor;

	private AdminServer(HttpServer server, ExecutorService executor) {
		this.server = server;
		this.executor = executor;
	}

	/**
	 * Starts the server.
	 * @param address {@code host:port}; the host must be a loopback address (port 0 for any free port)
	 * @param metrics the meters to render
	 * @param ready whether the proxy is ready
	 * @return the running server
	 * @throws IllegalArgumentException when the address is malformed or not a loopback address, naming it
	 * @throws IllegalStateException when the address cannot be bound
	 */
	public static AdminServer start(String address, ProxyMetrics metrics, BooleanSupplier ready) {
		InetSocketAddress bind = parse(address);
		HttpServer server;
		try {
			server = HttpServer.create(bind, 16);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Unable to bind the admin address to " + address + ": " + ex.getMessage(),
					ex);
		}
		server.createContext("/", (exchange) -> {
			try (exchange) {
				answer(exchange, metrics, ready);
			}
		});
		ExecutorService executor = Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, "connect-proxy-admin");
			thread.setDaemon(true);
			return thread;
		});
		server.setExecutor(executor);
		server.start();
		return new AdminServer(server, executor);
	}

	static InetSocketAddress parse(String address) {
		int colon = address.lastIndexOf(':');
		int port;
		try {
			port = Integer.parseInt(address.substring(colon + 1));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(String.format(MALFORMED, address), ex);
		}
		String host = (colon > 0) ? address.substring(0, colon) : "";
		if (colon < 0 || port < 0 || port > 65535) {
			throw new IllegalArgumentException(String.format(MALFORMED, address));
		}
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		InetAddress ip;
		try {
			ip = host.isEmpty() ? InetAddress.getLoopbackAddress() : InetAddress.getByName(host);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException(String.format(NOT_LOOPBACK, address), ex);
		}
		if (!ip.isLoopbackAddress()) {
			throw new IllegalArgumentException(String.format(NOT_LOOPBACK, address));
		}
		return new InetSocketAddress(ip, port);
	}

	private static void answer(HttpExchange exchange, ProxyMetrics metrics, BooleanSupplier ready) throws IOException {
		String method = exchange.getRequestMethod();
		String path = exchange.getRequestURI().getPath();
		if (!path.equals("/metrics") && !path.equals("/ready")) {
			send(exchange, 404, "text/plain", "Not found: only /metrics and /ready are served\n");
		}
		else if (!method.equals("GET") && !method.equals("HEAD")) {
			send(exchange, 405, "text/plain", "Method " + method + " is not allowed: use GET\n");
		}
		else if (path.equals("/metrics")) {
			send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
		}
		else if (ready.getAsBoolean()) {
			send(exchange, 200, "text/plain", "ready\n");
		}
		else {
			send(exchange, 503, "text/plain", "not ready: no public listener serving with valid TLS material\n");
		}
	}

	private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", type);
		boolean head = exchange.getRequestMethod().equals("HEAD");
		exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
		if (!head) {
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(bytes);
			}
		}
	}

	/**
	 * Returns where the server is bound.
	 * @return the address
	 */
	public InetSocketAddress address() {
		return this.server.getAddress();
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

}
