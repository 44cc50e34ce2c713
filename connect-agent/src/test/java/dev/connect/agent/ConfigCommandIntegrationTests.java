package dev.connect.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigCommandIntegrationTests {

	@TempDir
	Path files;

	private CliSession cli;

	@BeforeEach
	void startAgent() {
		this.cli = CliSession.start(DevAgentSettings.defaults().withAclManagementToken("secret"),
				Map.of("CONSUL_HTTP_TOKEN", "secret"));
	}

	@AfterEach
	void stopAgent() {
		this.cli.close();
	}

	private int run(String... args) {
		return this.cli.run(args);
	}

	private String out() {
		return this.cli.out();
	}

	private String err() {
		return this.cli.err();
	}

	@Test
	void configEntriesAreWrittenReadListedAndDeletedAsWithConsul() throws Exception {
		Path file = this.files.resolve("api.json");
		Files.writeString(file, "{\"Kind\":\"service-defaults\",\"Name\":\"api\",\"Protocol\":\"http\"}");
		assertThat(run("config", "write", file.toString())).isZero();
		assertThat(out()).isEqualTo("Config entry written: service-defaults/api\n");
		assertThat(run("config", "read", "-kind", "service-defaults", "-name", "api")).isZero();
		assertThat(out()).startsWith("{\n    \"Kind\": \"service-defaults\",\n    \"Name\": \"api\",\n    \"Protocol\": \"http\"");
		assertThat(run("config", "list", "-kind", "service-defaults")).isZero();
		assertThat(out()).isEqualTo("api\n");
		assertThat(run("config", "write", "-cas", "-modify-index", "1", file.toString())).isEqualTo(1);
		assertThat(err()).isEqualTo("Config entry not updated: service-defaults/api\n");
		assertThat(run("config", "delete", "-kind", "service-defaults", "-name", "api")).isZero();
		assertThat(out()).isEqualTo("Config entry deleted: service-defaults/api\n");
		assertThat(run("config", "read", "-kind", "service-defaults", "-name", "api")).isEqualTo(1);
		assertThat(err()).isEqualTo("Error reading config entry service-defaults/api: Unexpected response code: "
				+ "404 (Config entry not found for \"service-defaults\" / \"api\")\n");
	}

	@Test
	void theTokenComesFromATokenFileAndTheDatacenterIsSentAsDc() throws Exception {
		Path token = this.files.resolve("token");
		Files.writeString(token, "secret\n");
		this.cli.environment(Map.of("CONSUL_HTTP_TOKEN_FILE", token.toString()));
		assertThat(run("config", "list", "-kind", "mesh")).isZero();
		assertThat(run("config", "list", "-kind", "mesh", "-datacenter", "dc2")).isEqualTo(1);
		assertThat(err()).isEqualTo("Error listing config entries for kind \"mesh\": Unexpected response code: "
				+ "500 (No path to datacenter)\n");
		this.cli.environment(Map.of());
		assertThat(run("intention", "list", "-token-file", token.toString())).isZero();
		assertThat(run("intention", "list", "-token-file", this.files.resolve("none").toString())).isEqualTo(1);
		assertThat(err()).startsWith("Error: Unable to read the token file '");
		assertThat(run("config", "list", "-kind", "mesh", "-ca-file", token.toString())).isEqualTo(1);
		assertThat(err()).startsWith("Error: Unable to use the CA file '" + token + "': ");
	}

	@Test
	void refusalsAndMissingFlagsExitOneWithConsulsText() throws Exception {
		Path file = this.files.resolve("bad.json");
		Files.writeString(file, "{\"Kind\":\"service-defaults\",\"Name\":\"api\",\"Bogus\":true}");
		assertThat(run("config", "write", file.toString())).isEqualTo(1);
		assertThat(err()).startsWith("Error writing config entry service-defaults/api: Unexpected response code: "
				+ "400 (Request decoding failed: 1 error occurred:");
		assertThat(run("config", "read", "-name", "api")).isEqualTo(1);
		assertThat(err()).isEqualTo("Must specify the -kind parameter\n");
		assertThat(run("config", "delete", "-kind", "service-defaults")).isEqualTo(1);
		assertThat(err()).isEqualTo("Must specify the -name parameter\n");
	}

}
