package dev.connect.agent.catalog;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.SslProvider;
import reactor.netty.tcp.TcpClient;
import org.jspecify.annotations.Nullable;

/**
 * Runs the HTTP and TCP checks of a {@link Catalog} at their intervals, on Reactor Netty without blocking: HTTP 2xx
 * is passing, 429 warning, anything else or no answer within the timeout critical; a TCP check passes when a
 * connection opens within the timeout.
 */
public final class CheckRunner implements Disposable {

	private static final int MAX_OUTPUT = 4 * 1024;

	private final Catalog catalog;

	private final Map<String, Disposable> running = new ConcurrentHashMap<>();

	private final LoopResources loops;

	private final ConnectionProvider connections = ConnectionProvider.newConnection();

	private final @Nullable TrustManagerFactory trust;

	/**
	 * Starts running the catalog's checks as they are registered; HTTPS checks trust the JDK's default trust
	 * store, as Consul's trust the system roots.
	 * @param catalog the catalog
	 * @param loops the agent's event loops; probes never use Reactor Netty's global resources
	 */
	public CheckRunner(Catalog catalog, LoopResources loops) {
		this(catalog, loops, null);
	}

	/** With the trust anchors of HTTPS checks, or {@code null} for the JDK's default trust store. */
	CheckRunner(Catalog catalog, LoopResources loops, @Nullable TrustManagerFactory trust) {
		this.catalog = catalog;
		this.loops = loops;
		this.trust = trust;
		catalog.onChecksChanged(this::changed);
	}

	private void changed(Catalog.Change change) {
		change.removed().forEach(this::stop);
		for (CheckState check : change.added()) {
			stop(check.checkId());
			Duration interval = check.interval();
			// CheckDefinitions refuses an HTTP or TCP check without an interval, so a probed check always has one.
			if (check.isProbed() && interval != null) {
				this.running.put(check.checkId(), Flux.interval(Duration.ZERO, interval, Schedulers.parallel())
					.onBackpressureDrop()
					.concatMap((tick) -> probe(check))
					.subscribe((result) -> this.catalog.recordProbe(check.checkId(), result[0], result[1])));
			}
		}
	}

	private void stop(String checkId) {
		Disposable previous = this.running.remove(checkId);
		if (previous != null) {
			previous.dispose();
		}
	}

	private Mono<String[]> probe(CheckState check) {
		Mono<String[]> result = check.type().equals("http") ? http(check) : tcp(check);
		return result.timeout(check.timeout())
			.onErrorResume((error) -> Mono.just(new String[] { CheckState.CRITICAL,
					check.type().toUpperCase(java.util.Locale.ROOT) + " check " + check.target() + " failed: "
							+ ((error.getMessage() != null) ? error.getMessage() : error.getClass().getSimpleName()) }));
	}

	private Mono<String[]> http(CheckState check) {
		HttpClient client = HttpClient.create(this.connections).runOn(this.loops).responseTimeout(check.timeout());
		if (check.target().startsWith("https:")) {
			client = client.secure((ssl) -> secure(ssl, check));
		}
		byte[] body = check.body().getBytes(StandardCharsets.UTF_8);
		return client.headers((headers) -> check.header().forEach(headers::add))
			.request(HttpMethod.valueOf(check.method()))
			.uri(check.target())
			.send((request, out) -> (body.length == 0) ? out : out.sendByteArray(Mono.just(body)))
			.responseSingle((response, answer) -> answer.asByteArray().defaultIfEmpty(new byte[0]).map((bytes) -> {
				int code = response.status().code();
				String status = (code >= 200 && code < 300) ? CheckState.PASSING
						: (code == 429) ? CheckState.WARNING : CheckState.CRITICAL;
				return new String[] { status, "HTTP " + check.method() + " " + check.target() + ": " + response.status()
						+ " Output: " + output(bytes) };
			}));
	}

	/**
	 * Consul's TLS for a check: no verification with {@code TLSSkipVerify}; else the certificate must chain to a
	 * trusted root and name {@code TLSServerName} when set (also sent as SNI), the URL's host otherwise.
	 */
	private void secure(SslProvider.SslContextSpec ssl, CheckState check) {
		// The JDK engine, whatever else is on the class path: its endpoint identification checks the SNI name.
		Http11SslContextSpec spec = Http11SslContextSpec.forClient()
			.configure((builder) -> builder.sslProvider(io.netty.handler.ssl.SslProvider.JDK));
		TrustManagerFactory anchors = check.tlsSkipVerify() ? InsecureTrustManagerFactory.INSTANCE : this.trust;
		if (anchors != null) {
			spec = spec.configure((builder) -> builder.trustManager(anchors));
		}
		SslProvider.GenericSslContextSpec<SslContextBuilder> tls = spec;
		SslProvider.Builder builder = ssl.sslContext(tls);
		if (!check.tlsServerName().isEmpty()) {
			builder.serverNames(new SNIHostName(check.tlsServerName()));
		}
		builder.handlerConfigurator((handler) -> {
			SSLEngine engine = handler.engine();
			SSLParameters parameters = engine.getSSLParameters();
			// The JDK verifies the SNI name when one is sent, and the peer host otherwise: Go's ServerName rule.
			parameters.setEndpointIdentificationAlgorithm(check.tlsSkipVerify() ? null : "HTTPS");
			if (!check.tlsServerName().isEmpty()) {
				parameters.setServerNames(List.of(new SNIHostName(check.tlsServerName())));
			}
			engine.setSSLParameters(parameters);
		});
	}

	/** Consul keeps at most 4 KiB of a check's output. */
	private static String output(byte[] body) {
		int length = Math.min(body.length, MAX_OUTPUT);
		return new String(body, 0, length, java.nio.charset.StandardCharsets.UTF_8);
	}

	private Mono<String[]> tcp(CheckState check) {
		int colon = check.target().lastIndexOf(':');
		String host = check.target().substring(0, colon).replace("[", "").replace("]", "");
		int port = Integer.parseInt(check.target().substring(colon + 1));
		return TcpClient.create(this.connections)
			.runOn(this.loops)
			.remoteAddress(() -> new InetSocketAddress(host, port))
			.connect()
			.map((connection) -> {
				connection.dispose();
				return new String[] { CheckState.PASSING, "TCP connect " + check.target() + ": Success" };
			});
	}

	@Override
	public void dispose() {
		this.running.keySet().forEach(this::stop);
	}

}
