package dev.connect.agent;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IntentionReadsIntegrationTests {

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

	@Test
	void getShowsAnIntentionByPairOrIdAsConsulDoes() throws Exception {
		String created = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.cli.agent().httpAddress() + "/v1/connect/intentions"))
				.POST(HttpRequest.BodyPublishers.ofString("{\"SourceName\":\"web\",\"DestinationName\":\"db\","
						+ "\"Action\":\"allow\",\"Description\":\"reads\",\"Meta\":{\"team\":\"a\"}}"))
				.build(), HttpResponse.BodyHandlers.ofString())
			.body();
		String id = created.replaceAll("(?s).*\"ID\": \"([^\"]+)\".*", "$1");
		assertThat(run("intention", "get", "web", "db")).isZero();
		assertThat(out()).startsWith("Source:       web\nDestination:  db\nAction:       allow\nID:           " + id
				+ "\nDescription:  reads\nMeta[team]:   a\nCreated At:   ");
		assertThat(run("intention", "get", id)).isZero();
		assertThat(out()).contains("Destination:  db\n");
		assertThat(run("intention", "get", "web", "cache")).isEqualTo(1);
		assertThat(this.cli.err())
			.isEqualTo("Error: Intention not found with source \"web\" and destination \"cache\"\n");
	}

	@Test
	void matchListsTheIntentionsThatApplyInEvaluationOrder() {
		run("intention", "create", "-deny", "*", "db");
		run("intention", "create", "-allow", "web", "db");
		assertThat(run("intention", "match", "-destination", "db")).isZero();
		assertThat(out()).isEqualTo("web => db (allow)\n* => db (deny)\n");
		run("intention", "create", "-allow", "api", "cache");
		assertThat(run("intention", "match", "-source", "web")).isZero();
		assertThat(out()).as("a wildcard source applies to web too").isEqualTo("web => db (allow)\n* => db (deny)\n");
		assertThat(run("intention", "match", "db")).isEqualTo(1);
	}

}
