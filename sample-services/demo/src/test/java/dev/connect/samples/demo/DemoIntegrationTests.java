package dev.connect.samples.demo;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's demo, run as the test suite runs it: every step passes, and each shows what it claims.
 */
class DemoIntegrationTests {

	@Test
	void everyStepOfTheDemoPassesWithItsEvidence() {
		ByteArrayOutputStream printed = new ByteArrayOutputStream();
		List<Demo.StepResult> results;
		// The build copies the sidecar's jar into target/ before the integration tests run.
		try (Demo demo = new Demo(new PrintStream(printed, true, StandardCharsets.UTF_8),
				Path.of("target", "connect-proxy.jar"))) {
			demo.start();
			results = demo.walkThrough();
		}
		String output = printed.toString(StandardCharsets.UTF_8);
		assertThat(results).as(output).hasSize(10).allMatch(Demo.StepResult::passed);
		assertThat(results.get(0).evidence()).contains("dashboard → counting: 403");
		assertThat(results.get(1).evidence()).contains("/svc/dashboard", "/svc/counting", "from counting on port ");
		assertThat(results.get(2).evidence()).startsWith("GET https://127.0.0.1:").contains("without a client certificate");
		assertThat(results.get(3).evidence()).contains("the next 6 calls were answered on port");
		assertThat(results.get(4).evidence()).contains("0 failed, no restart");
		assertThat(results.get(5).evidence()).contains("refused within", "403");
		assertThat(results.get(6).evidence()).contains("python3 -m http.server on 127.0.0.1:",
				"without an intention: refused", "the Python app saw no request", "allow: 200 \"Hello from Python",
				"intention flipped to deny: refused within");
		assertThat(results.get(7).evidence()).contains("403 under the default policy", "allow: 200",
				"counting saw the caller spiffe://", "/svc/python-app");
		assertThat(results.get(8).evidence()).contains("dashboard → greeting (Spring MVC on Tomcat) under the default "
				+ "policy: 403", "so greeting answers 500");
		assertThat(results.get(9).evidence()).contains("200 {\"greeting\":\"Hello, dashboard!\",\"count\":",
				"greeting saw the caller spiffe://", "/svc/dashboard");
		assertThat(output).contains("Step 1:", "Step 10:");
	}

}
