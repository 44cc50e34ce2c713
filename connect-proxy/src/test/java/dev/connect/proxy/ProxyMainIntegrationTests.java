package dev.connect.proxy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.connect.test.TestMesh;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line against the real dev agent: every refusal is one message on standard error and exit code 1,
 * with nothing started.
 */
class ProxyMainIntegrationTests {

	private final TestMesh mesh = TestMesh.start();

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	@AfterEach
	void stop() {
		this.mesh.close();
	}

	@Test
	void whenNoSidecarIsRegisteredForTheServiceThenConsulsMessageIsShown() {
		ProxyMesh.register(this.mesh, "{\"Name\":\"echo\",\"Port\":8080}");
		assertThat(run("-sidecar-for", "echo")).isEqualTo(1);
		assertThat(errors()).isEqualTo("Error: No sidecar proxy registered for echo\n");
	}

	@Test
	void whenTwoSidecarsAreRegisteredForTheServiceThenConsulsMessageListsTheirIds() {
		ProxyMesh.register(this.mesh, "{\"Name\":\"echo\",\"Port\":8080}");
		for (String id : new String[] { "echo-proxy-b", "echo-proxy-a" }) {
			ProxyMesh.register(this.mesh, """
					{"Kind":"connect-proxy","ID":"%s","Name":"echo-proxy","Port":%d,
					 "Proxy":{"DestinationServiceName":"echo","DestinationServiceID":"echo","LocalServicePort":8080}}"""
				.formatted(id, ProxyMesh.freePort()));
		}
		assertThat(run("-sidecar-for", "ECHO")).isEqualTo(1);
		assertThat(errors()).isEqualTo("Error: More than one sidecar proxy registered for ECHO.\n"
				+ "    Start proxy with -proxy-id and one of the following IDs: echo-proxy-a, echo-proxy-b\n");
	}

	@Test
	void whenTheProxyIdIsAPlainServiceThenItIsRefused() {
		ProxyMesh.register(this.mesh, "{\"Name\":\"echo\",\"Port\":8080}");
		assertThat(run("-proxy-id", "echo")).isEqualTo(1);
		assertThat(errors()).isEqualTo("Error: Service 'echo' is not a sidecar proxy: its Kind is empty, and only "
				+ "'connect-proxy' registrations can be served\n");
	}

	@Test
	void whenTheProxyIdIsUnknownThenTheAgentsAnswerIsShown() {
		assertThat(run("-proxy-id", "nobody")).isEqualTo(1);
		assertThat(errors()).startsWith("Error: ").contains("/v1/agent/service/nobody").contains("404");
	}

	@Test
	void whenTheUpstreamPortIsTakenThenNothingStaysStarted() throws Exception {
		try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			int publicPort = ProxyMesh.freePort();
			ProxyMesh.registerWithSidecar(this.mesh, "web", 8080, publicPort,
					"{\"DestinationName\":\"echo\",\"LocalBindPort\":" + taken.getLocalPort() + "}");
			assertThat(run("-sidecar-for", "web")).isEqualTo(1);
			assertThat(errors()).startsWith("Error: Unable to bind the upstream listener for 'echo' to 127.0.0.1:"
					+ taken.getLocalPort() + ": ");
			// The public listener that was bound first was closed again.
			try (java.net.ServerSocket again = new java.net.ServerSocket(publicPort, 1,
					java.net.InetAddress.getLoopbackAddress())) {
				assertThat(again.getLocalPort()).isEqualTo(publicPort);
			}
		}
	}

	@Test
	void whenRegisterIsGivenWithoutAListenerThenConsulsRuleIsNamed() {
		assertThat(run("-sidecar-for", "web", "-register")).isEqualTo(1);
		assertThat(errors()).isEqualTo("Error: " + ProxyConfig.REGISTER_NEEDS_LISTEN + "\n");
	}

	@Test
	void whenTheDatacenterIsNotTheAgentsThenNothingIsBound() throws Exception {
		int publicPort = ProxyMesh.freePort();
		assertThat(run("-service", "echo", "-service-addr", "127.0.0.1:1", "-listen", "127.0.0.1:" + publicPort,
				"-register", "-datacenter", "dc2")).isEqualTo(1);
		assertThat(errors()).isEqualTo("Error: " + String.format(StartOptions.DATACENTER, "dc2", "dc1", "dc1") + "\n");
		try (java.net.ServerSocket again = new java.net.ServerSocket(publicPort, 1,
				java.net.InetAddress.getLoopbackAddress())) {
			assertThat(again.getLocalPort()).isEqualTo(publicPort);
		}
		assertThat(ProxyMesh.client(this.mesh).services().block()).doesNotContainKey("echo-proxy");
	}

	private int run(String... args) {
		return ProxyMain.run(args, Map.of("CONSUL_HTTP_ADDR", this.mesh.agentUrl()),
				new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8));
	}

	private String errors() {
		return this.err.toString(StandardCharsets.UTF_8);
	}

}
