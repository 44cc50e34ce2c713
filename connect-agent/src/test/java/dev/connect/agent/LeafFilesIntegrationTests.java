package dev.connect.agent;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;

import dev.connect.api.CaRoots;
import dev.connect.api.LeafCert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The checks {@code leaf SERVICE -out DIR} makes of the agent's answer before it writes anything, with answers of
 * real dev agents put together wrongly.
 */
class LeafFilesIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private DevAgent agent;

	private DevAgent otherAgent;

	@BeforeEach
	void startAgents() {
		this.agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0));
		this.otherAgent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0));
	}

	@AfterEach
	void stopAgents() {
		this.agent.close();
		this.otherAgent.close();
	}

	@Test
	void whenTheLeafIsForAnotherServiceThenItIsRefused() throws Exception {
		LeafCert web = get(this.agent, "/v1/agent/connect/ca/leaf/web", LeafCert.class);
		CaRoots roots = get(this.agent, "/v1/agent/connect/ca/roots", CaRoots.class);
		assertThatThrownBy(() -> LeafFiles.verified("db", web, roots, Clock.systemUTC()))
			.isInstanceOf(DevAgentMain.UsageException.class)
			.hasMessage("Refused the agent's leaf for 'db': it is for service 'web' (" + web.serviceUri()
					+ "); nothing was written");
	}

	@Test
	void whenTheKeyBelongsToAnotherLeafThenItIsRefused() throws Exception {
		LeafCert web = get(this.agent, "/v1/agent/connect/ca/leaf/web", LeafCert.class);
		LeafCert db = get(this.agent, "/v1/agent/connect/ca/leaf/db", LeafCert.class);
		LeafCert mixed = new LeafCert(web.serialNumber(), web.certPem(), db.privateKeyPem(), web.service(),
				web.serviceUri(), web.validAfter(), web.validBefore(), web.createIndex(), web.modifyIndex());
		CaRoots roots = get(this.agent, "/v1/agent/connect/ca/roots", CaRoots.class);
		assertThatThrownBy(() -> LeafFiles.verified("web", mixed, roots, Clock.systemUTC()))
			.hasMessage("Refused the agent's leaf for 'web': its private key belongs to another certificate; "
					+ "nothing was written");
	}

	@Test
	void whenTheLeafDoesNotChainToTheRootsThenItIsRefused() throws Exception {
		LeafCert web = get(this.agent, "/v1/agent/connect/ca/leaf/web", LeafCert.class);
		CaRoots otherRoots = get(this.otherAgent, "/v1/agent/connect/ca/roots", CaRoots.class);
		assertThatThrownBy(() -> LeafFiles.verified("web", web, otherRoots, Clock.systemUTC()))
			.hasMessageStartingWith("Refused the agent's leaf for 'web': Certificate ")
			.hasMessageContaining(" does not chain to a trusted root of this mesh: ")
			.hasMessageEndingWith("; nothing was written");
	}

	private static <T> T get(DevAgent agent, String path, Class<T> type) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(agent.httpAddress() + path)).build(),
					HttpResponse.BodyHandlers.ofString());
		return JSON.readValue(response.body(), type);
	}

}
