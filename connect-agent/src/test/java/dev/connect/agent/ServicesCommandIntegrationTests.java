package dev.connect.agent;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ServicesCommandIntegrationTests {

	@TempDir
	Path files;

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

	private String services() throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.cli.agent().httpAddress() + "/v1/agent/services")).build(),
					HttpResponse.BodyHandlers.ofString())
			.body();
	}

	@Test
	void aServiceDefinitionFileIsRegisteredAndDeregistered() throws Exception {
		Path file = this.files.resolve("web.json");
		Files.writeString(file, "{\"Service\":{\"ID\":\"web-1\",\"Name\":\"web\",\"Port\":8080}}");
		assertThat(run("services", "register", file.toString())).isZero();
		assertThat(out()).isEqualTo("Registered service: web\n");
		assertThat(services()).contains("\"web-1\"");
		assertThat(run("services", "deregister", "-id", "web-1")).isZero();
		assertThat(out()).isEqualTo("Deregistered service: web-1\n");
		assertThat(services()).isEqualTo("{}\n");
		assertThat(run("services", "deregister")).isEqualTo(1);
		assertThat(this.cli.err())
			.isEqualTo("Either a file path or -id must be specified.\n");
	}

	@Test
	void catalogNodesPrintsConsulsTable() {
		assertThat(run("catalog", "nodes")).isZero();
		String[] lines = out().split("\n");
		assertThat(lines).hasSize(2);
		assertThat(lines[0]).matches("Node +ID +Address +DC");
		assertThat(lines[1]).matches("dev-agent +[0-9a-f-]{8} +127\\.0\\.0\\.1 +dc1");
	}

}
