package dev.connect.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.connect.proxy.metrics.AdminServer;
import dev.connect.proxy.metrics.ProxyMetrics;
import dev.connect.test.TestMesh;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code -admin-addr} on two sidecars on the real dev agent: Consul's metric names with their labels, refusals by
 * reason and latency histograms in Prometheus' text format, and {@code /ready}.
 */
class ProxyObservabilityIntegrationTests {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private final TestMesh mesh = TestMesh.start();

	@AfterEach
	void stop() {
		this.mesh.close();
	}

	@Test
	void metricsCountConnectionsBytesRefusalsAndLatenciesUnderConsulsNames() throws Exception {
		try (ProxyMesh.EchoApp echo = new ProxyMesh.EchoApp()) {
			int upstreamPort = ProxyMesh.freePort();
			int nobodyPort = ProxyMesh.freePort();
			ProxyMesh.registerWithSidecar(this.mesh, "echo", echo.port(), ProxyMesh.freePort(), "");
			ProxyMesh.registerWithSidecar(this.mesh, "web", 1, ProxyMesh.freePort(),
					"{\"DestinationName\":\"echo\",\"LocalBindPort\":" + upstreamPort + "},"
							+ "{\"DestinationName\":\"nobody\",\"LocalBindPort\":" + nobodyPort + "}");
			try (SidecarProxy echoSide = start("echo-sidecar-proxy"); SidecarProxy webSide = start("web-sidecar-proxy")) {
				assertThat(get(echoSide, "/ready")).isEqualTo(200);
				InetSocketAddress upstream = new InetSocketAddress("127.0.0.1", upstreamPort);
				// Refused until an intention allows web: the echo sidecar counts an unauthorized caller.
				SidecarProxyIntegrationTests.eventually(() -> {
					assertThat(exchange(upstream, "denied")).isEmpty();
					assertThat(value(scrape(echoSide), "inbound_refused_total", "dst=\"echo\"", "reason=\"unauthorized\""))
						.isPositive();
					return true;
				});
				this.mesh.allow("web", "echo");
				assertThat(routed(upstream, "hello")).isEqualTo("hellobye");
				assertThat(exchange(new InetSocketAddress("127.0.0.1", nobodyPort), "x")).isEmpty();
				String inbound = scrape(echoSide);
				assertThat(value(inbound, "inbound_rx_bytes_total", "dst=\"echo\"")).isGreaterThanOrEqualTo(5);
				assertThat(value(inbound, "inbound_tx_bytes_total", "dst=\"echo\"")).isGreaterThanOrEqualTo(8);
				assertThat(value(inbound, "inbound_conns", "dst=\"echo\"")).isZero();
				assertThat(value(inbound, "inbound_handshake_seconds_count", "dst=\"echo\"")).isPositive();
				assertThat(value(inbound, "inbound_dial_seconds_count", "dst=\"echo\"")).isPositive();
				String outbound = scrape(webSide);
				String[] toEcho = { "dst=\"echo\"", "dst_type=\"service\"", "src=\"web\"" };
				assertThat(value(outbound, "upstream_tx_bytes_total", toEcho)).isGreaterThanOrEqualTo(5);
				assertThat(value(outbound, "upstream_rx_bytes_total", toEcho)).isGreaterThanOrEqualTo(8);
				assertThat(value(outbound, "upstream_handshake_seconds_count", toEcho)).isPositive();
				assertThat(value(outbound, "upstream_refused_total", "dst=\"nobody\"", "reason=\"no_instance\""))
					.isEqualTo(1);
			}
		}
	}

	@Test
	void readyAnswers503OnceTheLeafHasExpired() throws Exception {
		ProxyMesh.registerWithSidecar(this.mesh, "echo", 9, ProxyMesh.freePort(), "");
		SettableClock clock = new SettableClock();
		try (SidecarProxy proxy = SidecarProxy.start(ProxyMesh.client(this.mesh), "echo-sidecar-proxy", clock,
				java.time.Duration.ofSeconds(10));
				AdminServer admin = AdminServer.start("127.0.0.1:0", new ProxyMetrics(), proxy::ready)) {
			URI ready = URI.create("http://127.0.0.1:" + admin.address().getPort() + "/ready");
			assertThat(status(ready)).isEqualTo(200);
			// Past the leaf's 72 hours, with the agent unable to hand out a leaf valid at that time.
			clock.advance(java.time.Duration.ofHours(73));
			assertThat(status(ready)).isEqualTo(503);
			assertThat(status(URI.create("http://127.0.0.1:" + admin.address().getPort() + "/other"))).isEqualTo(404);
		}
	}

	private static int status(URI uri) throws IOException, InterruptedException {
		return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	/** A clock the test moves forward. */
	private static final class SettableClock extends java.time.Clock {

		private volatile java.time.Instant now = java.time.Instant.now();

		void advance(java.time.Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public java.time.ZoneId getZone() {
			return java.time.ZoneOffset.UTC;
		}

		@Override
		public java.time.Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public java.time.Instant instant() {
			return this.now;
		}

	}

	@Test
	void aBadAdminAddressIsRefusedNamingIt() {
		assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ProxyMain.start(ProxyFlags.parse(
				List.of("-proxy-id", "p", "-admin-addr", "0.0.0.0:19000"), Map.of("CONSUL_HTTP_ADDR", this.mesh.agentUrl())))))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("Admin address '0.0.0.0:19000' must be a loopback address such as 127.0.0.1:19000: metrics and "
					+ "readiness are not served to the network");
	}

	private SidecarProxy start(String proxyId) {
		return ProxyMain.start(ProxyFlags.parse(List.of("-proxy-id", proxyId, "-admin-addr", "127.0.0.1:0"),
				Map.of("CONSUL_HTTP_ADDR", this.mesh.agentUrl())));
	}

	static int get(SidecarProxy proxy, String path) throws IOException, InterruptedException {
		return HTTP.send(HttpRequest.newBuilder(uri(proxy, path)).build(), HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

	static String scrape(SidecarProxy proxy) throws IOException, InterruptedException {
		HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(uri(proxy, "/metrics")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying((type) -> assertThat(type)
			.startsWith("text/plain"));
		return answer.body();
	}

	private static URI uri(SidecarProxy proxy, String path) {
		InetSocketAddress admin = proxy.adminAddress();
		return URI.create("http://127.0.0.1:" + admin.getPort() + path);
	}

	/** The value of the one sample of a metric whose labels include all the given ones. */
	static double value(String scrape, String name, String... labels) {
		List<String> samples = scrape.lines()
			.filter((line) -> line.startsWith(name + "{"))
			.filter((line) -> List.of(labels).stream().allMatch(line::contains))
			.toList();
		assertThat(samples).as("samples of %s %s in%n%s", name, List.of(labels), scrape).hasSize(1);
		return Double.parseDouble(samples.get(0).substring(samples.get(0).lastIndexOf(' ') + 1));
	}

	/** Exchanges once the path serves (the intention, the instances and the material all in place). */
	static String routed(InetSocketAddress address, String text) throws Exception {
		return SidecarProxyIntegrationTests.eventually(() -> {
			String answer = exchange(address, text);
			assertThat(answer).as("an answer through %s", address).isNotEmpty();
			return answer;
		});
	}

	static String exchange(InetSocketAddress address, String text) throws IOException {
		try (Socket socket = ProxyMesh.connect(address)) {
			try {
				socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
				socket.shutdownOutput();
				return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
			}
			catch (IOException ex) {
				return "";
			}
		}
	}

}
