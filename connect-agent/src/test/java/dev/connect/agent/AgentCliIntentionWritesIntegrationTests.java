package dev.connect.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code intention create} (-replace, -file, -meta) and {@code intention delete} by ID against a real dev agent. */
class AgentCliIntentionWritesIntegrationTests {

	private CliSession cli;

	@BeforeEach
	void startAgent() {
		this.cli = CliSession.start();
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
	void createRefusesAnExistingPairUnlessReplaceIsGiven() {
		assertThat(run("intention", "create", "-meta", "team=web", "-meta", "env=dev", "web", "db")).isZero();
		assertThat(out()).isEqualTo("Created: web => db (allow)\n");
		assertThat(run("intention", "create", "-deny", "web", "db")).isEqualTo(1);
		assertThat(err()).startsWith("Error creating intention \"web => db (deny)\": Unexpected response code: ")
			.contains("duplicate intention found");
		assertThat(run("intention", "check", "web", "db")).as("unchanged").isZero();
		assertThat(run("intention", "get", "web", "db")).isZero();
		assertThat(out()).contains("Meta[env]:").contains("Meta[team]:");
		assertThat(run("intention", "create", "-deny", "-replace", "web", "db")).isZero();
		assertThat(out()).as("consul prints nothing for a replaced intention").isEmpty();
		assertThat(run("intention", "check", "web", "db")).isEqualTo(1);
		assertThat(run("intention", "get", "web", "db")).isZero();
		assertThat(out()).as("-replace keeps nothing of the old intention").doesNotContain("Meta[");
		assertThat(run("intention", "create", "-replace", "api", "db")).isZero();
		assertThat(out()).as("-replace of a new pair creates it").isEqualTo("Created: api => db (allow)\n");
	}

	@Test
	void createRefusesBadFlagsAndArgumentsWithConsulsTexts() {
		assertThat(run("intention", "create", "-allow", "-deny", "web", "db")).isEqualTo(1);
		assertThat(err()).isEqualTo("Only one of -allow or -deny may be specified.\n");
		assertThat(run("intention", "create", "web")).isEqualTo(1);
		assertThat(err()).isEqualTo("Error: Must specify two arguments: source and destination\n");
		assertThat(run("intention", "create", "-meta", "novalue", "web", "db")).isEqualTo(1);
		assertThat(err()).isEqualTo("Error: Invalid value 'novalue' for flag -meta: it must be key=value\n");
		assertThat(run("intention", "check", "web", "db")).as("nothing created").isEqualTo(1);
	}

	@Test
	void createReadsIntentionsFromFiles(@TempDir Path directory) throws IOException {
		Path first = Files.writeString(directory.resolve("one.json"),
				"{\"SourceName\":\"web\",\"DestinationName\":\"db\",\"Action\":\"deny\",\"Description\":\"no\"}");
		Path second = Files.writeString(directory.resolve("two.json"),
				"{\"SourceName\":\"api\",\"DestinationName\":\"db\",\"Action\":\"allow\"}");
		assertThat(run("intention", "create", "-file", first.toString(), second.toString())).isZero();
		assertThat(out()).isEqualTo("Created: web => db (deny)\nCreated: api => db (allow)\n");
		assertThat(run("intention", "check", "api", "db")).isZero();
		assertThat(run("intention", "check", "web", "db")).isEqualTo(1);
		Path broken = Files.writeString(directory.resolve("broken.json"), "{");
		assertThat(run("intention", "create", "-file", broken.toString())).isEqualTo(1);
		assertThat(err()).startsWith("Error: Unable to read the intention file '" + broken + "': ");
	}

	@Test
	void deleteTakesAPairOrAnId() {
		assertThat(run("intention", "create", "web", "db")).isZero();
		assertThat(run("intention", "get", "web", "db")).isZero();
		String id = out().lines().filter((line) -> line.startsWith("ID:")).findFirst().orElseThrow()
			.substring(3).trim();
		assertThat(run("intention", "delete", id)).isZero();
		assertThat(out()).isEqualTo("Intention deleted.\n");
		assertThat(run("intention", "check", "web", "db")).isEqualTo(1);
		assertThat(run("intention", "delete", id)).isEqualTo(1);
		assertThat(err()).startsWith("Error deleting the intention: Unexpected response code: ");
		assertThat(run("intention", "delete", "a", "b", "c")).isEqualTo(1);
		assertThat(err()).isEqualTo("Error: command requires exactly 1 or 2 arguments\n");
	}

	@Test
	void createReadsAnIntentionFromStandardInputWithFileDash() {
		assertThat(this.cli.runWithInput("{\"SourceName\":\"web\",\"DestinationName\":\"db\",\"Action\":\"deny\"}",
				"intention", "create", "-file", "-")).isZero();
		assertThat(out()).isEqualTo("Created: web => db (deny)\n");
		assertThat(run("intention", "check", "web", "db")).isEqualTo(1);
	}

	@Test
	void errorsReadAsConsulPrintsThem(@TempDir Path directory) {
		assertThat(run("intention", "create", "web", "db")).isZero();
		assertThat(run("intention", "create", "web", "db")).isEqualTo(1);
		assertThat(err()).startsWith("Error creating intention \"web => db (allow)\": Unexpected response code: 500 "
				+ "(1 error occurred:\n\t* duplicate intention found: ALLOW default/web => default/db (ID: ");
		assertThat(run("intention", "create", "-allow", "-deny", "web", "db")).isEqualTo(1);
		assertThat(err()).isEqualTo("Only one of -allow or -deny may be specified.\n");
		Path missing = directory.resolve("nope.json");
		assertThat(run("intention", "create", "-file", missing.toString())).isEqualTo(1);
		assertThat(err()).isEqualTo("Error: Failed to read file: open " + missing + ": no such file or directory\n");
		assertThat(run("config", "write", missing.toString())).isEqualTo(1);
		assertThat(err())
			.isEqualTo("Failed to load data: Failed to read file: open " + missing + ": no such file or directory\n");
	}

}
