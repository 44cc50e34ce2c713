package dev.connect.autoconfigure.devagent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.tls.CertificateSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code connect.dev-agent.enabled}: a single app that runs with nothing else. */
class DevAgentIntegrationTests {

	@Test
	void withoutAnAgentAtTheAddressAnInProcessOneStartsThereAndStopsWithTheApp() throws Exception {
		int port = freePort();
		String url = "http://127.0.0.1:" + port;
		try (ConfigurableApplicationContext app = app("connect.agent.url=" + url, "connect.dev-agent.enabled=true")) {
			assertThat(app.getEnvironment().getProperty("connect.agent.url")).isEqualTo(url);
			assertThat(app.getBean(CertificateSource.class).current().identity().toString()).endsWith("/svc/counting");
			assertThat(listening(port)).isTrue();
		}
		assertThat(listening(port)).as("the agent stopped with the application").isFalse();
	}

	@Test
	void whenAnAgentAnswersNoneIsStarted() {
		try (DevAgent agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0));
				ConfigurableApplicationContext app = app("connect.agent.url=" + agent.httpAddress(),
						"connect.dev-agent.enabled=true")) {
			assertThat(app.getEnvironment().getPropertySources().contains(DevAgentEnvironmentPostProcessor.SOURCE_NAME))
				.isFalse();
			assertThat(app.getBean(CertificateSource.class).current().trustDomain().name())
				.isEqualTo(agent.trustDomain().name());
		}
	}

	@Test
	void itIsOffByDefault() throws Exception {
		int port = freePort();
		assertThatThrownBy(() -> app("connect.agent.url=http://127.0.0.1:" + port, "connect.agent.startup-timeout=1s"))
			.hasStackTraceContaining("127.0.0.1:" + port);
		assertThat(listening(port)).isFalse();
	}

	@Test
	void itNeverStartsForAnAddressOffThisMachine() {
		// The probe answers for the address without sending anything off this machine.
		List<URI> probed = new ArrayList<>();
		DevAgentEnvironmentPostProcessor postProcessor = new DevAgentEnvironmentPostProcessor(Supplier::get,
				(address) -> {
					probed.add(address);
					return false;
				});
		MockEnvironment environment = new MockEnvironment().withProperty("connect.agent.url", "http://192.0.2.1:8500")
			.withProperty("connect.dev-agent.enabled", "true");
		assertThatIllegalStateException()
			.isThrownBy(() -> postProcessor.postProcessEnvironment(environment, new SpringApplication()))
			.withMessage("No agent answers at http://192.0.2.1:8500, and connect.dev-agent.enabled starts a dev agent "
					+ "only on this machine's loopback address, not on '192.0.2.1': start the agent, or point "
					+ "connect.agent.url at http://127.0.0.1:<port>");
		assertThat(probed).containsExactly(URI.create("http://192.0.2.1:8500"));
		assertThat(environment.getPropertySources().contains(DevAgentEnvironmentPostProcessor.SOURCE_NAME)).isFalse();
	}

	private static ConfigurableApplicationContext app(String... properties) {
		return new SpringApplicationBuilder(App.class)
			.properties("server.port=0", "spring.application.name=counting")
			.properties(properties)
			.run();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static boolean listening(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
