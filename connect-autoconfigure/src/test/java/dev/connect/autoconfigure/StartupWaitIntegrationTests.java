package dev.connect.autoconfigure;

import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * While start-up waits for its first certificate, it says every few seconds what it waits for: the agent's address,
 * the last error and the time left.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupWaitIntegrationTests {

	@Test
	void whileTheAgentIsUnreachableStartupSaysWhatItWaitsForThenFails(CapturedOutput output) throws Exception {
		int port;
		try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = free.getLocalPort();
		}
		String agent = "http://127.0.0.1:" + port;
		assertThatThrownBy(() -> new SpringApplicationBuilder(App.class)
			.properties("server.port=0", "spring.application.name=counting", "connect.agent.url=" + agent,
					"connect.agent.startup-timeout=7s")
			.run()).hasRootCauseInstanceOf(AgentUnreachableException.class);
		assertThat(output.getOut()).contains("Waiting for the certificate of service 'counting' from the agent at "
				+ agent + " (")
			.contains(" s left): Unable to reach the agent at " + agent);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
