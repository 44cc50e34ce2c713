package dev.connect.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

import dev.connect.agent.DevAgent;
import dev.connect.client.AgentCertificateSource;
import dev.connect.client.AgentClient;
import dev.connect.client.AgentClientSettings;
import dev.connect.tls.CertificateSource;

/** What the integration tests ask of a running dev agent: identities and intentions. */
public final class TestAgents {

	private TestAgents() {
	}

	/** Issues a leaf for a service from the agent and returns it as a fixed certificate source. */
	public static CertificateSource identity(DevAgent agent, String service) {
		AgentClient client = AgentClient.create(AgentClientSettings.defaults().withAddress(URI.create(agent.httpAddress())));
		AgentCertificateSource source = AgentCertificateSource.start(client, service, Clock.systemUTC());
		try {
			return CertificateSource.of(source.ready(Duration.ofSeconds(10)).block());
		}
		finally {
			source.dispose();
		}
	}

	/** A mesh client calling as a service, with a leaf the agent issued. */
	public static MeshClient caller(DevAgent agent, String service) {
		try {
			return new MeshClient(identity(agent, service));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Creates or replaces the intention source => destination through the agent's exact API. */
	public static void intention(DevAgent agent, String source, String destination, String action) {
		try {
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(agent.httpAddress() + "/v1/connect/intentions/exact?source="
						+ source + "&destination=" + destination))
					.PUT(HttpRequest.BodyPublishers.ofString("{\"Action\":\"" + action + "\"}"))
					.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("Intention not written: " + response.body());
			}
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
