package dev.connect.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code leaf SERVICE -out DIR} refuses bad input and agent refusals with a message naming the value, exit status 1
 * as every command, and writes nothing.
 */
class AgentCliLeafErrorsIntegrationTests {

	@TempDir
	Path temp;

	private DevAgent agent;

	private Map<String, String> env;

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	@BeforeEach
	void startAgent() {
		this.agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0).withAclManagementToken("secret"));
		this.env = Map.of("CONSUL_HTTP_ADDR", this.agent.httpAddress(), "CONSUL_HTTP_TOKEN", "secret");
	}

	@AfterEach
	void stopAgent() {
		this.agent.close();
	}

	@Test
	void leafWithoutAServiceOrADirectoryPrintsItsUsage() {
		Path dir = this.temp.resolve("web");
		assertThat(run("leaf", "-out", dir.toString())).isEqualTo(1);
		assertThat(err()).isEqualTo("Error: Usage: leaf SERVICE -out DIR\n");
		assertThat(run("leaf", "web")).isEqualTo(1);
		assertThat(err()).isEqualTo("Error: Usage: leaf SERVICE -out DIR\n");
		assertThat(run("leaf", "web", "db", "-out", dir.toString())).isEqualTo(1);
		assertThat(err()).isEqualTo("Error: Usage: leaf SERVICE -out DIR\n");
		assertThat(out()).isEmpty();
		assertThat(dir).doesNotExist();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "../web", "web/db", ".web", "web db" })
	void whenTheServiceCannotNameAFileThenTheCommandFailsNamingIt(String service) {
		Path dir = this.temp.resolve("out");
		assertThat(run("leaf", service, "-out", dir.toString())).isEqualTo(1);
		assertThat(err()).isEqualTo("Error: Service name '" + service + "' cannot name the leaf's files: use "
				+ "letters, digits, '-', '_' and '.', starting with a letter or digit\n");
		assertThat(dir).doesNotExist();
	}

	@Test
	void whenTheDirectoryIsAFileThenTheCommandFailsNamingItAndLeavesTheFile() throws IOException {
		Path file = Files.writeString(this.temp.resolve("web"), "mine");
		assertThat(run("leaf", "web", "-out", file.toString())).isEqualTo(1);
		assertThat(err()).isEqualTo("Error: Unable to write the leaf files to directory '" + file + "': '"
				+ file.toAbsolutePath() + "' is not a directory; nothing was written\n");
		assertThat(file).hasContent("mine");
		assertThat(out()).isEmpty();
	}

	@Test
	void whenAParentOfTheDirectoryIsAFileThenTheCommandFailsNamingIt() throws IOException {
		Path file = Files.writeString(this.temp.resolve("certs"), "mine");
		Path dir = file.resolve("web");
		assertThat(run("leaf", "web", "-out", dir.toString())).isEqualTo(1);
		assertThat(err()).isEqualTo("Error: Unable to write the leaf files to directory '" + dir + "': '"
				+ file.toAbsolutePath() + "' is not a directory; nothing was written\n");
		assertThat(file).hasContent("mine");
	}

	@Test
	void whenTheAgentRefusesTheTokenThenTheCommandFailsWithItsAnswerAndWritesNothing() {
		Path dir = this.temp.resolve("web");
		assertThat(run("leaf", "web", "-out", dir.toString(), "-token", "wrong")).isEqualTo(1);
		assertThat(err()).startsWith("Error: Agent answered 403 to GET /v1/agent/connect/ca/leaf/web: ACL not found");
		assertThat(out()).isEmpty();
		assertThat(dir).doesNotExist();
	}

	@Test
	void whenTheAgentCannotBeReachedThenTheCommandFailsNamingItAndWritesNothing() throws IOException {
		Path dir = Files.createDirectories(this.temp.resolve("web"));
		this.env = Map.of("CONSUL_HTTP_ADDR", "127.0.0.1:1");
		assertThat(run("leaf", "web", "-out", dir.toString())).isEqualTo(1);
		assertThat(err()).startsWith("Error: Unable to reach the agent at http://127.0.0.1:1");
		assertThat(AgentCliLeafIntegrationTests.fileNames(dir)).isEmpty();
	}

	private int run(String... args) {
		this.out.reset();
		this.err.reset();
		return DevAgentMain.run(args, this.env, new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8));
	}

	private String out() {
		return this.out.toString(StandardCharsets.UTF_8);
	}

	private String err() {
		return this.err.toString(StandardCharsets.UTF_8);
	}

}
