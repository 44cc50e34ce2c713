package dev.connect.agent;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AgentCliIntegrationTests {

	private DevAgent agent;

	private Map<String, String> env;

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	@BeforeEach
	void startAgent() {
		this.agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0).withAclManagementToken("secret"));
		this.env = Map.of("CONSUL_HTTP_ADDR", this.agent.httpAddress(), "CONSUL_HTTP_TOKEN", "secret");
	}

	@AfterEach
	void stopAgent() {
		this.agent.close();
	}

	private int run(String... args) {
		this.out.reset();
		this.err.reset();
		return DevAgentMain.run(args, this.env, new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8));
	}

	private String out() {
		return this.out.toString(StandardCharsets.UTF_8);
	}

	@Test
	void intentionLifecycleFromTheCommandLine() {
		assertThat(run("intention", "check", "web", "db")).isEqualTo(1);
		assertThat(out()).isEqualTo("Denied\n");
		assertThat(run("intention", "create", "-allow", "web", "db")).isZero();
		assertThat(out()).isEqualTo("Created: web => db (allow)\n");
		assertThat(run("intention", "check", "web", "db")).isZero();
		assertThat(out()).isEqualTo("Allowed\n");
		assertThat(run("intention", "list")).isZero();
		assertThat(out()).contains("web").contains("allow").contains("db").contains(" 9\n");
		assertThat(run("intention", "create", "-deny", "-replace", "web", "db")).isZero();
		assertThat(run("intention", "check", "web", "db")).isEqualTo(1);
		assertThat(run("intention", "delete", "web", "db")).isZero();
		assertThat(out()).isEqualTo("Intention deleted.\n");
	}

	@Test
	void whenANameIsQualifiedForAnotherPeerOrNamespaceThenTheCommandFailsAndNothingLocalChanges() {
		assertThat(run("intention", "create", "-allow", "peer:other-cluster/web", "db")).isEqualTo(1);
		// As consul's CLI, the part before '/' is sent as the namespace, which Consul CE refuses.
		assertThat(this.err.toString(StandardCharsets.UTF_8)).startsWith(
				"Error creating intention \"peer:other-cluster/web => db (allow)\": Unexpected response code: ")
			.contains("Invalid SourceNS(peer:other-cluster)");
		assertThat(run("intention", "create", "a/b/web", "db")).isEqualTo(1);
		assertThat(this.err.toString(StandardCharsets.UTF_8))
			.isEqualTo("Error: Invalid intention source: target can contain at most one '/'\n");
		assertThat(run("intention", "check", "team/web", "db")).as("an error, not a denial").isEqualTo(2);
		assertThat(out()).isEmpty();
		assertThat(this.err.toString(StandardCharsets.UTF_8))
			.endsWith(": Invalid source namespace \"team\": Namespaces is a Consul Enterprise feature\n");
		assertThat(run("intention", "check", "web", "db")).isEqualTo(1);
		assertThat(out()).isEqualTo("Denied\n");
		assertThat(run("intention", "list")).isZero();
		assertThat(out().lines()).hasSize(1);
	}

	@Test
	void caRotateCrossSignsAndBothRootsAreListed() {
		assertThat(run("ca", "roots")).isZero();
		assertThat(out().lines()).hasSize(2).first().isEqualTo("TrustDomain " + this.agent.trustDomain());
		assertThat(run("ca", "rotate")).isZero();
		assertThat(out()).startsWith("Rotated: active root ").endsWith("(2 roots trusted)\n");
		assertThat(run("ca", "roots")).isZero();
		assertThat(out()).contains("active=true").contains("active=false");
	}

	@Test
	void catalogServicesListsNames() {
		assertThat(run("catalog", "services")).isZero();
		assertThat(out()).isEqualTo("consul\n");
	}

	@Test
	void agentErrorsGoToStderrWithStatusOne() {
		assertThat(run("intention", "create", "-allow", "web", "db", "-token", "wrong")).isEqualTo(1);
		assertThat(this.err.toString(StandardCharsets.UTF_8))
			.startsWith("Error creating intention \"web => db (allow)\": Unexpected response code: 403 (ACL not found)");
		this.env = Map.of("CONSUL_HTTP_ADDR", "127.0.0.1:1");
		assertThat(run("catalog", "services")).isEqualTo(1);
		assertThat(this.err.toString(StandardCharsets.UTF_8)).startsWith("Error: Unable to reach the agent at http://127.0.0.1:1");
		assertThat(run("intention", "check", "web")).as("a usage error, not a denial").isEqualTo(2);
		assertThat(this.err.toString(StandardCharsets.UTF_8)).isEqualTo("Error: Usage: intention check SRC DST\n");
		assertThat(run("intention", "check", "web", "db")).as("an unreachable agent, not a denial").isEqualTo(2);
	}

}
