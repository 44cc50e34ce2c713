package dev.connect.proxy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ProxyFlagsTests {

	static Stream<Arguments> badFlags() {
		return Stream.of(
				Arguments.of(List.of("-sidecar-for", "web", "-port", "1"), String.format(ProxyFlags.UNKNOWN, "-port")),
				Arguments.of(List.of("-sidecar-for"), String.format(ProxyFlags.NEEDS_VALUE, "-sidecar-for")),
				Arguments.of(List.of("-proxy-id="), String.format(ProxyFlags.EMPTY, "-proxy-id")),
				Arguments.of(List.of("-service", "web", "-register"), ProxyConfig.REGISTER_NEEDS_LISTEN),
				Arguments.of(List.of("-sidecar-for", "web", "-register"), ProxyConfig.REGISTER_NEEDS_LISTEN),
				Arguments.of(List.of("-sidecar-for", "web", "-register-id", "a"),
						String.format(ProxyConfig.REGISTER_ID_NEEDS_REGISTER, "a")),
				Arguments.of(List.of("-sidecar-for", "web", "-log-json=yes"),
						String.format(ProxyFlags.SWITCH, "-log-json", "-log-json", "-log-json", "yes")),
				Arguments.of(List.of("-sidecar-for", "web", "-tls-provider", "openssl"),
						String.format(ProxyFlags.TLS_PROVIDER, "openssl")),
				Arguments.of(List.of("-sidecar-for", "web", "-datacenter"),
						String.format(ProxyFlags.NEEDS_VALUE, "-datacenter")),
				Arguments.of(List.of("-sidecar-for", "web", "-upstream", "db:9191"), ProxyConfig.STATIC_ONLY),
				Arguments.of(List.of("-service", "web", "-listen", ":21000"), ProxyConfig.LISTEN_NEEDS_APP),
				Arguments.of(List.of("-service", "web", "-proxy-id", "web-proxy"),
						String.format(ProxyConfig.ONE_OF, "2 of them")),
				Arguments.of(List.of("-sidecar-for", "web", "-log-level", "loud"),
						String.format(ProxyFlags.LOG_LEVEL, "loud")),
				Arguments.of(List.of(), String.format(ProxyConfig.ONE_OF, "none")),
				Arguments.of(List.of("-sidecar-for", "web", "-proxy-id", "web-sidecar-proxy"),
						String.format(ProxyConfig.ONE_OF, "2 of them")),
				Arguments.of(List.of("web"), "Unexpected argument 'web': every option is a -flag"),
				Arguments.of(List.of("-proxy-id", "p", "-http-addr", "ftp://agent:8500"),
						"Agent address 'ftp://agent:8500' must be an http:// or https:// URL, for example "
								+ "http://127.0.0.1:8500"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badFlags")
	void whenAFlagIsWrongThenTheMessageNamesItAndWhatIsAllowed(List<String> args, String message) {
		assertThatIllegalArgumentException().isThrownBy(() -> ProxyFlags.parse(args, Map.of())).withMessage(message);
	}

	@Test
	void flagsWinOverTheEnvironment() {
		ProxyConfig config = ProxyFlags.parse(
				List.of("--sidecar-for=web", "-http-addr", "127.0.0.1:18500", "-token", "t1", "-log-level", "DEBUG"),
				Map.of("CONSUL_HTTP_ADDR", "http://agent:8500", "CONSUL_HTTP_TOKEN", "env-token"));
		assertThat(config.sidecarFor()).isEqualTo("web");
		assertThat(config.proxyId()).isNull();
		assertThat(config.agent().address()).isEqualTo(URI.create("http://127.0.0.1:18500"));
		assertThat(config.agent().token()).isEqualTo("t1");
		assertThat(config.logLevel()).isEqualTo("debug");
	}

	@Test
	void staticModeKeepsEveryUpstreamAndAModeFlagWinsOverTheVariables() {
		ProxyConfig config = ProxyFlags.parse(List.of("-service", "web", "-service-addr", "127.0.0.1:8080", "-listen",
				":21000", "-upstream", "db:9191", "-upstream", "cache.service:127.0.0.2:9192"),
				Map.of("CONNECT_PROXY_ID", "other-proxy"));
		assertThat(config.service()).isEqualTo("web");
		assertThat(config.proxyId()).isNull();
		assertThat(config.upstreams()).containsExactly("db:9191", "cache.service:127.0.0.2:9192");
	}

	@Test
	void switchesTakeNoValueAndTheRegistrationFlagsAreKept() {
		ProxyConfig config = ProxyFlags.parse(List.of("-service", "web", "-service-addr", ":8080", "-listen", ":21000",
				"-register", "-register-id", "a", "-log-json", "-datacenter", "dc1", "-admin-addr", "127.0.0.1:19000"),
				Map.of());
		assertThat(config.register()).isTrue();
		assertThat(config.registerId()).isEqualTo("a");
		assertThat(config.logJson()).isTrue();
		assertThat(config.datacenter()).isEqualTo("dc1");
		assertThat(config.adminAddress()).isEqualTo("127.0.0.1:19000");
		ProxyConfig off = ProxyFlags.parse(List.of("-sidecar-for", "web", "-log-json=false"), Map.of());
		assertThat(off.logJson()).isFalse();
		assertThat(off.register()).isFalse();
	}

	@Test
	void theEnvironmentStandsInForMissingFlags() {
		ProxyConfig config = ProxyFlags.parse(List.of(), Map.of("CONNECT_PROXY_ID", "web-sidecar-proxy",
				"CONSUL_HTTP_ADDR", "https://agent:8501", "CONSUL_HTTP_TOKEN", "env-token", "CONSUL_CACERT", "/ca.pem"));
		assertThat(config.proxyId()).isEqualTo("web-sidecar-proxy");
		assertThat(config.agent().address()).isEqualTo(URI.create("https://agent:8501"));
		assertThat(config.agent().token()).isEqualTo("env-token");
		assertThat(config.agent().caFile()).hasToString("/ca.pem");
		assertThat(config.logLevel()).isEqualTo("info");
	}

}
