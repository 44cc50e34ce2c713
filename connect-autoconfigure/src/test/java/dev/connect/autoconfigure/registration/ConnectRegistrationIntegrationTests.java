package dev.connect.autoconfigure.registration;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.api.ServiceEntry;
import dev.connect.client.AgentClient;
import dev.connect.client.AgentClientSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectRegistrationIntegrationTests {

	private DevAgent agent;

	private AgentClient client;

	@BeforeEach
	void start() {
		this.agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0));
		this.client = AgentClient.create(AgentClientSettings.defaults().withAddress(URI.create(this.agent.httpAddress())));
	}

	@AfterEach
	void stop() {
		this.agent.close();
	}

	private ConfigurableApplicationContext run(String... args) {
		return new SpringApplicationBuilder(App.class)
			.properties("server.port=0", "spring.application.name=counting",
					"connect.agent.url=" + this.agent.httpAddress(), "connect.registration.ttl=3s")
			.run(args);
	}

	private List<ServiceEntry> passing() {
		return this.client.healthConnect("counting", true, 0, Duration.ZERO).block(Duration.ofSeconds(5)).value();
	}

	@Test
	void annotatedApplicationRegistersAsConnectNativeWithItsBoundPortAndLeavesOnShutdown() throws Exception {
		ConfigurableApplicationContext app = run();
		try {
			int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
			List<ServiceEntry> entries = passing();
			assertThat(entries).hasSize(1);
			ServiceEntry entry = entries.get(0);
			assertThat(entry.service().port()).isEqualTo(port);
			assertThat(entry.service().connectNative()).isTrue();
			assertThat(entry.service().id()).matches("counting-[0-9a-f]{8}");
			assertThat(entry.service().tags()).containsExactly("v1");
			assertThat(entry.service().meta()).containsEntry("team", "numbers");
			Thread.sleep(4000);
			assertThat(passing()).as("the heartbeat keeps the 3 s TTL check passing").hasSize(1);
		}
		finally {
			app.close();
		}
		assertThat(this.client.healthConnect("counting", false, 0, Duration.ZERO).block().value()).isEmpty();
	}

	@Test
	void onShutdownItDeregistersThenServesOnForTheDelayBeforeItsWebServerStops() throws Exception {
		ConfigurableApplicationContext app = run("--connect.registration.deregistration-delay=2s");
		int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
		awaitPassing(1);
		CompletableFuture<Void> closing = CompletableFuture.runAsync(app::close);
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (!this.client.healthConnect("counting", false, 0, Duration.ZERO).block().value().isEmpty()
				&& System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		long deregistered = System.nanoTime();
		assertThat(this.client.healthConnect("counting", false, 0, Duration.ZERO).block().value()).as("deregistered")
			.isEmpty();
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
		}
		assertThat(closing).as("the shutdown waits while the server still accepts connections").isNotDone();
		closing.get(20, TimeUnit.SECONDS);
		assertThat(Duration.ofNanos(System.nanoTime() - deregistered)).as("from the deregistration to the stop")
			.isGreaterThan(Duration.ofMillis(1500));
		assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).as("the web server stopped afterwards")
			.isInstanceOf(ConnectException.class);
	}

	@Test
	void aNegativeDeregistrationDelayIsRefusedAtStartNamingTheSetting() {
		assertThatThrownBy(() -> run("--connect.registration.deregistration-delay=-1s").close())
			.hasRootCauseMessage("connect.registration.deregistration-delay 'PT-1S' must be between 0 and 20s "
					+ "(Spring's default shutdown phase timeout is 30s)");
		assertThat(this.client.healthConnect("counting", false, 0, Duration.ZERO).block().value())
			.as("nothing registered").isEmpty();
	}

	@Test
	void whenTheAgentForgetsTheInstanceItRegistersAgain() throws Exception {
		ConfigurableApplicationContext app = run();
		try {
			String id = passing().get(0).service().id();
			this.client.deregister(id).block(Duration.ofSeconds(5));
			assertThat(passing()).isEmpty();
			long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
			while (passing().isEmpty() && System.nanoTime() < deadline) {
				Thread.sleep(100);
			}
			assertThat(passing()).extracting((entry) -> entry.service().id()).containsExactly(id);
		}
		finally {
			app.close();
		}
	}

	@Test
	void anApplicationThatRefusesTrafficFailsItsCheckAndLeavesDiscoveryUntilItIsReadyAgain() throws Exception {
		ConfigurableApplicationContext app = run();
		try {
			assertThat(passing()).hasSize(1);
			org.springframework.boot.availability.AvailabilityChangeEvent.publish(app,
					org.springframework.boot.availability.ReadinessState.REFUSING_TRAFFIC);
			awaitPassing(0);
			org.springframework.boot.availability.AvailabilityChangeEvent.publish(app,
					org.springframework.boot.availability.ReadinessState.ACCEPTING_TRAFFIC);
			awaitPassing(1);
		}
		finally {
			app.close();
		}
	}

	@Test
	@SuppressWarnings("try") // the second agent only has to run, on the first one's port, while the app re-registers
	void afterTheAgentRestartsWithItsDataDirTheInstanceIsRegisteredAgain(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dataDir)
			throws Exception {
		int port;
		try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			port = probe.getLocalPort();
		}
		DevAgentSettings settings = DevAgentSettings.defaults().withHttpPort(port).withDataDir(dataDir);
		DevAgent first = DevAgent.start(settings);
		AgentClient restarted = AgentClient.create(AgentClientSettings.defaults().withAddress(URI.create(first.httpAddress())));
		ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class)
			.properties("server.port=0", "spring.application.name=counting", "connect.agent.url=" + first.httpAddress(),
					"connect.registration.ttl=3s")
			.run();
		try {
			String id = restarted.healthConnect("counting", true, 0, Duration.ZERO).block().value().get(0).service().id();
			first.close();
			try (DevAgent second = DevAgent.start(settings)) {
				long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
				List<ServiceEntry> entries = List.of();
				while (entries.isEmpty() && System.nanoTime() < deadline) {
					Thread.sleep(200);
					entries = restarted.healthConnect("counting", true, 0, Duration.ZERO).block().value();
				}
				assertThat(entries).extracting((entry) -> entry.service().id()).containsExactly(id);
			}
		}
		finally {
			app.close();
		}
	}

	private void awaitPassing(int instances) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (passing().size() != instances && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		assertThat(passing()).hasSize(instances);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@ConnectService(tags = "v1", meta = "team=numbers")
	static class App {

	}

}
