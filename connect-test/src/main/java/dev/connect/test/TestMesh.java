package dev.connect.test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;

/**
 * A running dev agent for a test, with what tests ask of it: its address, intentions, mesh clients that call as a
 * given service, and stub upstreams that answer as one. Start one with {@link #start()}, or let
 * {@link DevAgentExtension} (plain JUnit) or {@link ConnectDevAgent} (Spring tests) manage it. Needs no Spring: a
 * {@code WebTestClient} bound to a mesh identity comes from {@link MeshWebTestClient} instead.
 */
public final class TestMesh implements AutoCloseable {

	private final DevAgent agent;

	private final HttpClient http = HttpClient.newHttpClient();

	private final List<StubUpstream> stubs = new CopyOnWriteArrayList<>();

	private TestMesh(DevAgent agent) {
		this.agent = agent;
	}

	/**
	 * Starts a dev agent on a free port of 127.0.0.1, intentions deny by default, as Consul's dev agent does with
	 * ACLs on.
	 * @return the running mesh
	 */
	public static TestMesh start() {
		return start(DevAgentSettings.defaults().withHttpPort(0));
	}

	/**
	 * Starts a dev agent with other settings (a port other than 0 is used as given).
	 * @param settings the agent's settings
	 * @return the running mesh
	 */
	public static TestMesh start(DevAgentSettings settings) {
		return new TestMesh(DevAgent.start(settings));
	}

	/**
	 * Returns the agent.
	 * @return the agent
	 */
	public DevAgent agent() {
		return this.agent;
	}

	/**
	 * Returns the agent's HTTP address, the value for {@code connect.agent.url}.
	 * @return for example {@code http://127.0.0.1:41234}
	 */
	public String agentUrl() {
		return this.agent.httpAddress();
	}

	/**
	 * Returns the trust domain of the agent's CA.
	 * @return for example {@code 7f1c…​.consul}
	 */
	public String trustDomain() {
		return this.agent.trustDomain().name();
	}

	/**
	 * Creates or replaces the intention {@code source → destination allow}.
	 * @param source the calling service (or {@code *})
	 * @param destination the called service (or {@code *})
	 * @return this mesh
	 */
	public TestMesh allow(String source, String destination) {
		return intention(source, destination, "allow");
	}

	/**
	 * Creates or replaces the intention {@code source → destination deny}.
	 * @param source the calling service (or {@code *})
	 * @param destination the called service (or {@code *})
	 * @return this mesh
	 */
	public TestMesh deny(String source, String destination) {
		return intention(source, destination, "deny");
	}

	/**
	 * Returns a client that calls mesh services as {@code service}, with a leaf this agent issued.
	 * @param service the calling service's name
	 * @return the client
	 */
	public MeshTestClient caller(String service) {
		return MeshTestClient.issuedBy(this, service);
	}

	/**
	 * Starts a stub upstream that answers as {@code service}, registered with this agent as a Connect-native
	 * instance with a passing check; see {@link StubUpstream} for what it does. Until {@link StubUpstream#respond}
	 * is called it answers allowed requests with 404. Close it to deregister it; {@link #close()} closes the ones
	 * still open.
	 * <pre>
	 * try (StubUpstream counting = mesh.stub("counting").respond("GET", "/count", 200, "{\"count\":42}")) {
	 *     // the app's calls to http://counting/count get {"count":42}
	 * }
	 * </pre>
	 * @param service the service the stub answers as
	 * @return the running, registered stub
	 * @throws IllegalStateException when the agent issues no leaf or refuses the registration
	 */
	public StubUpstream stub(String service) {
		StubUpstream stub = StubUpstream.start(agentUrl(), service, this.stubs::remove);
		this.stubs.add(stub);
		return stub;
	}

	/**
	 * Writes a config entry ({@code PUT /v1/config}), as {@code consul config write} does: for example the L7
	 * rules of a destination and its protocol.
	 * <pre>
	 * mesh.config("""
	 *     {"Kind":"service-defaults","Name":"counting","Protocol":"http"}""")
	 *   .config("""
	 *     {"Kind":"service-intentions","Name":"counting","Sources":[{"Name":"dashboard","Permissions":[
	 *       {"Action":"allow","HTTP":{"PathPrefix":"/count","Methods":["GET"]}}]}]}""");
	 * </pre>
	 * @param entry the entry's JSON
	 * @return this mesh
	 * @throws IllegalStateException when the agent refuses the entry, with its message
	 */
	public TestMesh config(String entry) {
		Objects.requireNonNull(entry, "'entry' must not be null");
		try {
			HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(agentUrl() + "/v1/config"))
				.PUT(HttpRequest.BodyPublishers.ofString(entry))
				.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200 || !response.body().trim().equals("true")) {
				throw new IllegalStateException(
						"The agent refused the config entry: " + response.statusCode() + " " + response.body().trim());
			}
			return this;
		}
		catch (IOException ex) {
			throw new IllegalStateException("The dev agent at " + agentUrl() + " did not answer", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while writing a config entry", ex);
		}
	}

	private TestMesh intention(String source, String destination, String action) {
		Objects.requireNonNull(source, "'source' must not be null");
		Objects.requireNonNull(destination, "'destination' must not be null");
		try {
			HttpResponse<String> response = this.http.send(HttpRequest
				.newBuilder(URI.create(agentUrl() + "/v1/connect/intentions/exact?source="
						+ URLEncoder.encode(source, StandardCharsets.UTF_8) + "&destination="
						+ URLEncoder.encode(destination, StandardCharsets.UTF_8)))
				.PUT(HttpRequest.BodyPublishers.ofString("{\"Action\":\"" + action + "\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("The agent refused the intention " + source + " → " + destination + " "
						+ action + ": " + response.statusCode() + " " + response.body());
			}
			return this;
		}
		catch (IOException ex) {
			throw new IllegalStateException("The dev agent at " + agentUrl() + " did not answer", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while writing an intention", ex);
		}
	}

	/**
	 * Closes the stub upstreams still open, then stops the agent.
	 */
	@Override
	public void close() {
		try {
			for (StubUpstream stub : this.stubs) {
				stub.close();
			}
		}
		finally {
			this.agent.close();
		}
	}

	@Override
	public String toString() {
		return "TestMesh[" + agentUrl() + ", trust domain " + trustDomain() + "]";
	}

}
