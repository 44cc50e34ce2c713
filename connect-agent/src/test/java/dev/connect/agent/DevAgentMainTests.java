package dev.connect.agent;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DevAgentMainTests {

	@Test
	void consulStyleFlagsSetTheSettings() {
		DevAgentSettings settings = DevAgentMain.parseAgentFlags(List.of("-dev", "-http-port", "0", "-bind=127.0.0.2",
				"-datacenter", "east", "-node", "n1", "-default-intention-policy", "allow", "-data-dir", "/tmp/x"));
		assertThat(settings.httpPort()).isZero();
		assertThat(settings.bindAddress()).isEqualTo("127.0.0.2");
		assertThat(settings.datacenter()).isEqualTo("east");
		assertThat(settings.nodeName()).isEqualTo("n1");
		assertThat(settings.defaultIntentionPolicy()).isEqualTo("allow");
		assertThat(settings.dataDir()).isEqualTo(Path.of("/tmp/x"));
	}

	@Test
	void badFlagsAreRefusedNamingTheValue() {
		assertThatThrownBy(() -> DevAgentMain.parseAgentFlags(List.of("-http-port", "80")))
			.hasMessage("The agent only runs in development mode: add -dev");
		assertThatThrownBy(() -> DevAgentMain.parseAgentFlags(List.of("-dev", "-http-port", "http")))
			.hasMessage("HTTP port 'http' must be a number between 0 and 65535");
		assertThatThrownBy(() -> DevAgentMain.parseAgentFlags(List.of("-dev", "-default-intention-policy", "maybe")))
			.hasMessage("Default intention policy 'maybe' must be 'allow' or 'deny'");
		assertThatThrownBy(() -> DevAgentMain.parseAgentFlags(List.of("-dev", "-server")))
			.hasMessage("Flag '-server' needs a value");
		assertThatThrownBy(() -> DevAgentMain.parseAgentFlags(List.of("-dev", "-ui", "true")))
			.hasMessage("Unknown flag '-ui'; run with --help to list them");
	}

	@Test
	void unknownCommandExitsOneWithTheReasonOnStderr() {
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int status = DevAgentMain.run(new String[] { "members" }, java.util.Map.of(),
				new PrintStream(new ByteArrayOutputStream()),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		assertThat(status).isEqualTo(1);
		assertThat(err.toString(StandardCharsets.UTF_8))
			.isEqualTo("Error: Unknown command 'members'; run with --help to list them\n");
	}

	@Test
	void agentProcessPrintsItsAddressAndWarningThenServesTheApi() throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				DevAgentMain.class.getName(), "agent", "-dev", "-http-port", "0")
			.redirectErrorStream(true)
			.start();
		try (BufferedReader output = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			StringBuilder banner = new StringBuilder();
			String address = null;
			for (String line = output.readLine(); line != null; line = output.readLine()) {
				banner.append(line).append('\n');
				Matcher matcher = Pattern.compile("HTTP API: (http://127\\.0\\.0\\.1:\\d+)").matcher(line);
				if (matcher.find()) {
					address = matcher.group(1);
				}
				if (line.startsWith("==> Export CONSUL_HTTP_ADDR")) {
					break;
				}
			}
			assertThat(address).as(banner.toString()).isNotNull();
			assertThat(banner.toString()).contains("Trust domain: ").contains("never use it as a production CA");
			HttpResponse<String> roots = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(address + "/v1/agent/connect/ca/roots")).build(),
						HttpResponse.BodyHandlers.ofString());
			assertThat(roots.statusCode()).isEqualTo(200);
			assertThat(roots.body()).contains("\"ActiveRootID\"");
		}
		finally {
			process.destroy();
			assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("agent stops on SIGTERM").isTrue();
		}
	}

}
