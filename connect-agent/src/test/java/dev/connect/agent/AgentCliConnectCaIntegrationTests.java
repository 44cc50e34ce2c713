package dev.connect.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code connect ca get-config} and {@code set-config -config-file} against a real dev agent. */
class AgentCliConnectCaIntegrationTests {

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
	void setConfigChangesWhatGetConfigPrints(@TempDir Path directory) throws IOException {
		assertThat(run("connect", "ca", "get-config")).isZero();
		assertThat(out()).contains("\"Provider\"").contains("consul").doesNotContain("\"LeafCertTTL\":\"30h\"");
		Path file = Files.writeString(directory.resolve("ca.json"),
				"{\"Provider\":\"consul\",\"Config\":{\"LeafCertTTL\":\"30h\"}}");
		assertThat(run("connect", "ca", "set-config", "-config-file", file.toString())).isZero();
		assertThat(out()).isEqualTo("Configuration updated!\n");
		assertThat(run("connect", "ca", "get-config")).isZero();
		assertThat(out().replace(" ", "")).contains("\"LeafCertTTL\":\"30h\"");
	}

	@Test
	void setConfigRefusesWithConsulsTextsAndChangesNothing(@TempDir Path directory) throws IOException {
		assertThat(run("connect", "ca", "get-config")).isZero();
		String before = out();
		assertThat(run("connect", "ca", "set-config")).isEqualTo(1);
		assertThat(err()).isEqualTo("The -config-file flag is required\n");
		assertThat(run("connect", "ca", "set-config", "-config-file", directory.resolve("missing.json").toString()))
			.isEqualTo(1);
		assertThat(err()).startsWith("Error reading config file: ");
		Path broken = Files.writeString(directory.resolve("broken.json"), "{");
		assertThat(run("connect", "ca", "set-config", "-config-file", broken.toString())).isEqualTo(1);
		assertThat(err()).startsWith("Error parsing config file: ");
		Path vault = Files.writeString(directory.resolve("vault.json"), "{\"Provider\":\"vault\",\"Config\":{}}");
		assertThat(run("connect", "ca", "set-config", "-config-file", vault.toString())).isEqualTo(1);
		assertThat(err()).startsWith("Error setting CA configuration: Unexpected response code: 500 (")
			.contains("vault");
		assertThat(run("connect", "ca", "get-config")).isZero();
		assertThat(out()).isEqualTo(before);
		assertThat(run("connect", "ca", "bogus")).isEqualTo(1);
		assertThat(err()).isEqualTo("Error: Usage: connect ca get-config|set-config\n");
	}

}
