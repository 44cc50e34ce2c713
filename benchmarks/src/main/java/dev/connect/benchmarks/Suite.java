package dev.connect.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.client.AgentCertificateSource;

/**
 * What the parts of one {@link BenchmarkSuite} run share: the plan, a dev agent in this JVM (its root rotation jitter
 * is the plan's), the intention {@code dashboard → counting} allowed, the caller's live identity as
 * {@code dashboard}, one counting server JVM per mode (started on first use, kept warm between parts) and the report.
 */
final class Suite implements AutoCloseable {

	private final Plan plan;

	private final DevAgent agent;

	private final AgentCertificateSource dashboard;

	private final AgentCertificateSource dashboardL7;

	private final Map<String, CountingServerProcess> servers = new LinkedHashMap<>();

	private final Report report = new Report();

	Suite(Plan plan) {
		this.plan = plan;
		this.agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0).withRootRotationJitter(plan.rotationJitter()));
		// counting speaks http, so that one caller (dashboard-l7, the calls part's L7 mode) can have an L7 rule.
		BenchmarkSupport.put(this.agent, "/v1/config", "{\"Kind\":\"service-defaults\",\"Name\":\"counting\",\"Protocol\":\"http\"}");
		BenchmarkSupport.intention(this.agent, "dashboard", "counting", "allow");
		BenchmarkSupport.put(this.agent, "/v1/connect/intentions/exact?source=dashboard-l7&destination=counting",
				"{\"Permissions\":[{\"Action\":\"allow\",\"HTTP\":{\"PathPrefix\":\"/count\",\"Methods\":[\"GET\"]}}]}");
		this.dashboard = BenchmarkSupport.identity(this.agent, "dashboard");
		this.dashboardL7 = BenchmarkSupport.identity(this.agent, "dashboard-l7");
	}

	Plan plan() {
		return this.plan;
	}

	DevAgent agent() {
		return this.agent;
	}

	AgentCertificateSource dashboard() {
		return this.dashboard;
	}

	/** The caller whose intention to counting is one L7 permission ({@code GET /count*}). */
	AgentCertificateSource dashboardL7() {
		return this.dashboardL7;
	}

	Report report() {
		return this.report;
	}

	/** The counting server of a mode ({@code plaintext}, {@code mtls-jdk}, {@code mtls-boringssl}), started once. */
	CountingServerProcess server(String mode) throws Exception {
		CountingServerProcess server = this.servers.get(mode);
		if (server == null) {
			server = CountingServerProcess.start(this.agent.httpAddress(), mode);
			this.servers.put(mode, server);
		}
		return server;
	}

	/** Stops every counting server but those of the given modes, so that idle JVMs do not share the cores. */
	void keepOnly(List<String> modes) {
		List<CountingServerProcess> stopping = new java.util.ArrayList<>();
		var iterator = this.servers.entrySet().iterator();
		while (iterator.hasNext()) {
			var entry = iterator.next();
			if (!modes.contains(entry.getKey())) {
				entry.getValue().stop();
				stopping.add(entry.getValue());
				iterator.remove();
			}
		}
		for (CountingServerProcess server : stopping) {
			server.close();
		}
	}

	@Override
	public void close() {
		keepOnly(List.of());
		this.dashboard.dispose();
		this.dashboardL7.dispose();
		this.agent.close();
	}

}
