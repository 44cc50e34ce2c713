package dev.connect.proxy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.connect.api.AgentService;
import dev.connect.api.ConnectProxyConfig;
import dev.connect.api.Weights;
import dev.connect.proxy.upstream.UpstreamConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ProxyRegistrationTests {

	@Test
	void consulsDefaultsApplyToWhatTheRegistrationLeavesOut() {
		ProxyRegistration registration = ProxyRegistration.from(proxy(Map.of(), List.of()));
		assertThat(registration.destination()).isEqualTo("web");
		assertThat(registration.publicAddress().getHostString()).isEqualTo("0.0.0.0");
		assertThat(registration.publicAddress().getPort()).isEqualTo(21000);
		assertThat(registration.local().getHostString()).isEqualTo("127.0.0.1");
		assertThat(registration.local().getPort()).isEqualTo(8080);
		assertThat(registration.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(registration.localConnectTimeout()).isEqualTo(Duration.ofSeconds(1));
		assertThat(registration.upstreams()).isEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("sameMillisecondsWritten")
	void timeoutsAreReadAsTheAgentMaySendThem(Object value) {
		ProxyRegistration registration = ProxyRegistration
			.from(proxy(Map.of("handshake_timeout_ms", value, "local_connect_timeout_ms", value), List.of()));
		assertThat(registration.handshakeTimeout()).isEqualTo(Duration.ofMillis(1500));
		assertThat(registration.localConnectTimeout()).isEqualTo(Duration.ofMillis(1500));
	}

	static Stream<Object> sameMillisecondsWritten() {
		return Stream.of(1500, 1500.0, "1500", 1500L);
	}

	static Stream<Arguments> unservableRegistrations() {
		return Stream.of(
				Arguments.of(Map.of("handshake_timeout_ms", "soon"), List.of(),
						String.format(UpstreamConfig.NUMBER_MESSAGE, "handshake_timeout_ms", "soon")),
				Arguments.of(Map.of("local_connect_timeout_ms", 10.5), List.of(),
						String.format(UpstreamConfig.NUMBER_MESSAGE, "local_connect_timeout_ms", "10.5")),
				Arguments.of(Map.of(), List.of(Map.of("DestinationName", "db", "LocalBindSocketPath", "/tmp/db.sock")),
						"Upstream 'db' LocalBindSocketPath '/tmp/db.sock' is not supported: Unix sockets are not "
								+ "supported: use LocalBindPort"),
				Arguments.of(Map.of(), List.of(Map.of("DestinationName", "db", "DestinationType", "prepared_query",
						"LocalBindPort", 9191)),
						"Upstream 'db' DestinationType 'prepared_query' is not supported: only 'service' is "
								+ "(prepared queries are not yet)"),
				Arguments.of(Map.of(), List.of(Map.of("DestinationName", "db")),
						"Upstream 'db' has no LocalBindPort: give a port between 1 and 65535 (Unix sockets are not supported)"),
				Arguments.of(Map.of(), List.of(Map.of("DestinationName", "db", "LocalBindPort", 70000)),
						"Upstream 'db' LocalBindPort '70000' must be between 1 and 65535"),
				Arguments.of(Map.of(), List.of(Map.of("DestinationName", "db", "LocalBindPort", 9191,
						"DestinationNamespace", "team")),
						"Upstream 'db' DestinationNamespace 'team' is not supported: only 'default' is"));
	}

	@ParameterizedTest(name = "{2}")
	@MethodSource("unservableRegistrations")
	void whenTheRegistrationCannotBeServedThenTheMessageNamesTheField(Map<String, Object> config,
			List<Map<String, Object>> upstreams, String message) {
		assertThatIllegalArgumentException().isThrownBy(() -> ProxyRegistration.from(proxy(config, upstreams)))
			.withMessage(message);
	}

	@Test
	void whenTheServiceIsNotAProxyThenItIsRefused() {
		AgentService plain = new AgentService(null, "web", "web", List.of(), Map.of(), 8080, "", Weights.DEFAULT, false,
				"dc1", null, null, null);
		assertThatIllegalArgumentException().isThrownBy(() -> ProxyRegistration.from(plain))
			.withMessage("Service 'web' is not a sidecar proxy: its Kind is empty, and only 'connect-proxy' "
					+ "registrations can be served");
	}

	@Test
	void upstreamsTakeTheirDefaults() {
		ProxyRegistration registration = ProxyRegistration
			.from(proxy(Map.of(), List.of(Map.of("DestinationName", "db", "LocalBindPort", 9191.0))));
		assertThat(registration.upstreams())
			.containsExactly(new UpstreamConfig("db", "127.0.0.1", 9191, Duration.ofSeconds(10), UpstreamConfig.IDLE_TIMEOUT));
	}

	@Test
	void staticFlagsGiveTheRegistrationConsulsStaticProxyWouldServe() {
		ProxyRegistration registration = ProxyRegistration.ofFlags("web", "127.0.0.1:8080", ":21000",
				List.of("db:9191", "cache.service:127.0.0.2:9192"));
		assertThat(registration.destination()).isEqualTo("web");
		assertThat(registration.local().getPort()).isEqualTo(8080);
		assertThat(registration.publicAddress().getPort()).isEqualTo(21000);
		assertThat(registration.upstreams()).containsExactly(
				new UpstreamConfig("db", "127.0.0.1", 9191, Duration.ofSeconds(10), UpstreamConfig.IDLE_TIMEOUT),
				new UpstreamConfig("cache", "127.0.0.2", 9192, Duration.ofSeconds(10), UpstreamConfig.IDLE_TIMEOUT));
	}

	static Stream<Arguments> badStaticFlags() {
		return Stream.of(
				Arguments.of("db", String.format(ProxyRegistration.UPSTREAM_FLAG, "db")),
				Arguments.of("db:port", "Flag -upstream 'port' must be host:port with a port between 1 and 65535 "
						+ "(the host may be left out: 127.0.0.1)"),
				Arguments.of("orders.query:9191", "Upstream 'orders.query:9191' is a prepared query: only services "
						+ "are supported (name or name.service)"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badStaticFlags")
	void whenAnUpstreamFlagIsMalformedThenItIsNamed(String upstream, String message) {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ProxyRegistration.ofFlags("web", null, null, List.of(upstream)))
			.withMessage(message);
	}

	private static AgentService proxy(Map<String, Object> config, List<Map<String, Object>> upstreams) {
		ConnectProxyConfig proxy = new ConnectProxyConfig("web", "web", null, 8080, null, config, upstreams);
		return new AgentService("connect-proxy", "web-sidecar-proxy", "web-sidecar-proxy", List.of(), Map.of(), 21000,
				"", Weights.DEFAULT, false, "dc1", proxy, null, "h1");
	}

}
