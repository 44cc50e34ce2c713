package dev.connect.autoconfigure;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

import dev.connect.agent.DevAgent;
import dev.connect.client.AgentCertificateSource;
import dev.connect.client.AgentClient;
import dev.connect.client.AgentClientSettings;
import dev.connect.tls.CertificateSource;

/**
 * Identities from a running dev agent for tests that work below {@code connect-test}'s {@code MeshTestClient}: a
 * fixed certificate source, or a raw-socket {@link MeshClient}. Intentions come from {@code TestMesh}.
 */
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

}
