package dev.connect.mesh;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.mesh.MeshServers.MeshServer;
import dev.connect.pki.TestPki;
import dev.connect.tls.CertificateSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.netty.http.client.HttpClient;

import static dev.connect.mesh.MeshServers.TRUST_DOMAIN;
import static dev.connect.mesh.MeshServers.awaitRelease;
import static dev.connect.mesh.MeshServers.get;
import static dev.connect.mesh.MeshServers.leaf;
import static dev.connect.mesh.MeshServers.root;
import static dev.connect.mesh.MeshServers.snapshot;
import static dev.connect.mesh.MeshServers.uri;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The mesh client talks only to the service it meant to call, against real mesh servers whose certificates the dev
 * agent (or a test CA) issued: every refusal happens before one byte of the request reaches the server, counted by
 * the server right behind TLS.
 */
class MeshHttpClientsIdentityIntegrationTests {

	private DevAgent agent;

	private final UpstreamAddressBook upstreams = new UpstreamAddressBook();

	@BeforeEach
	void start() {
		this.agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0));
	}

	@AfterEach
	void stop() {
		this.agent.close();
	}

	private HttpClient client() {
		return MeshHttpClients.secure(HttpClient.create(), MeshServers.identity(this.agent, "dashboard"), this.upstreams);
	}

	@Test
	void theExpectedServiceAnswersWithoutAnyHostnameCheck() throws Exception {
		try (MeshServer counting = MeshServers.start(this.agent, "counting")) {
			this.upstreams.expect("127.0.0.1", counting.port(), UpstreamIdentity.of("dc1", "counting"));
			assertThat(get(client(), counting.port())).isEqualTo("counting");
			assertThat(counting.log().handled).hasValue(1);
			assertThat(counting.log().requestBytes.get()).as("request bytes the server decrypted").isGreaterThan(0);
		}
	}

	@Test
	void anImpostorWithAValidCertificateForAnotherServiceIsRefusedBeforeAnyRequestByte() throws Exception {
		try (MeshServer impostor = MeshServers.start(this.agent, "billing")) {
			this.upstreams.expect("127.0.0.1", impostor.port(), UpstreamIdentity.of("dc1", "counting"));
			assertThatThrownBy(() -> get(client(), impostor.port()))
				.hasStackTraceContaining("Expected '/ns/default/dc/dc1/svc/counting' at 127.0.0.1:" + impostor.port()
						+ ", but the server presented 'spiffe://" + this.agent.trustDomain() + "/ns/default/dc/dc1/svc/billing'");
			assertThat(impostor.log().opened).as("the impostor was reached").hasValue(1);
			assertThat(impostor.log().requestBytes).as("request bytes the impostor received").hasValue(0);
			assertThat(impostor.log().handled).hasValue(0);
		}
	}

	@Test
	void aServerWhoseChainComesFromAnotherCaIsRefusedBeforeAnyRequestByte() throws Exception {
		try (DevAgent other = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0));
				MeshServer foreign = MeshServers.start(other, "counting")) {
			this.upstreams.expect("127.0.0.1", foreign.port(), UpstreamIdentity.of("dc1", "counting"));
			assertThatThrownBy(() -> get(client(), foreign.port()))
				.hasStackTraceContaining("does not chain to a trusted root of this mesh");
			assertThat(foreign.log().requestBytes).as("request bytes the server received").hasValue(0);
			assertThat(foreign.log().handled).hasValue(0);
		}
	}

	@Test
	void anAddressNobodyRecordedIsRefused() throws Exception {
		try (MeshServer unknown = MeshServers.start(this.agent, "counting")) {
			assertThatThrownBy(() -> get(client(), unknown.port()))
				.hasStackTraceContaining("No mesh service is expected at 127.0.0.1:" + unknown.port());
			assertThat(unknown.log().requestBytes).as("request bytes the server received").hasValue(0);
		}
	}

	@Test
	void anAddressRegisteredForTwoServicesIsRefusedUntilOnlyOneIsLeft() throws Exception {
		try (MeshServer counting = MeshServers.start(this.agent, "counting")) {
			// A server proving 'counting' where 'billing' is registered too: a billing call could land here.
			this.upstreams.expect("127.0.0.1", counting.port(), UpstreamIdentity.of("dc1", "counting"));
			this.upstreams.expect("127.0.0.1", counting.port(), UpstreamIdentity.of("dc1", "billing"));
			assertThatThrownBy(() -> get(client(), counting.port())).hasStackTraceContaining(
					"Services [/ns/default/dc/dc1/svc/billing, /ns/default/dc/dc1/svc/counting] are all registered at 127.0.0.1:" + counting.port());
			assertThat(counting.log().requestBytes).as("request bytes the server received").hasValue(0);
			this.upstreams.forget("127.0.0.1", counting.port(), UpstreamIdentity.of("dc1", "billing"));
			assertThat(get(client(), counting.port())).isEqualTo("counting");
		}
	}

	@Test
	void aRequestMeantForAnotherServiceThanTheConnectionProvedIsNotSentEvenOnAPooledConnection() throws Exception {
		try (MeshServer counting = MeshServers.start(this.agent, "counting")) {
			this.upstreams.expect("127.0.0.1", counting.port(), UpstreamIdentity.of("dc1", "counting"));
			HttpClient client = client();
			assertThat(get(client, counting.port(), "counting")).isEqualTo("counting");
			long sent = counting.log().requestBytes.get();
			awaitRelease();
			// The address check passes (counting is expected there); the request itself was meant for billing.
			assertThatThrownBy(() -> get(client, counting.port(), "billing")).isInstanceOf(UnexpectedPeerException.class)
				.hasMessage("Expected service 'billing' at 127.0.0.1:" + counting.port() + ", but the server presented 'spiffe://"
						+ this.agent.trustDomain() + "/ns/default/dc/dc1/svc/counting'");
			assertThat(counting.log().opened).as("the pooled connection was the one offered").hasValue(1);
			assertThat(counting.log().requestBytes).as("request bytes the server received").hasValue(sent);
			assertThat(counting.log().handled).hasValue(1);
			assertThat(get(client, counting.port(), "counting")).isEqualTo("counting");
		}
	}

	@Test
	void anExpiredServerLeafIsRefusedBeforeAnyRequestByte() throws Exception {
		Instant now = Instant.now();
		assertBadServerRefused((root) -> TestPki.leaf(uri(TRUST_DOMAIN, "counting"))
			.validity(now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)))
			.signedBy(root), "expired");
	}

	@Test
	void aServerLeafWithTwoUriSansIsRefusedBeforeAnyRequestByte() throws Exception {
		Instant now = Instant.now();
		assertBadServerRefused((root) -> TestPki.leaf(uri(TRUST_DOMAIN, "counting"))
			.uris(uri(TRUST_DOMAIN, "billing"))
			.validity(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)))
			.signedBy(root), "has 2 URI SANs; an X.509-SVID needs exactly one");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/ns/other/dc/dc1/svc/counting", "/ns/default/dc/dc2/svc/counting",
			"/ap/part1/ns/default/dc/dc1/svc/counting", "/ns/default/dc/dc1/svc/counting/v2" })
	void aServerNamingTheServiceInAnotherNamespaceDatacenterOrPartitionIsRefusedBeforeAnyRequestByte(String path)
			throws Exception {
		Instant now = Instant.now();
		String presented = "spiffe://" + TRUST_DOMAIN + path;
		assertBadServerRefused((root) -> TestPki.leaf(presented)
			.validity(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)))
			.signedBy(root), "but the server presented '" + presented + "'");
	}

	@Test
	void aServerInTheDatacenterTheAgentReportsForItAnswers() throws Exception {
		Instant now = Instant.now();
		TestPki.Issued root = root(TRUST_DOMAIN);
		CertificateSource dashboard = CertificateSource
			.of(snapshot(TRUST_DOMAIN, "dashboard", leaf(TRUST_DOMAIN, "dashboard", root), root));
		TestPki.Issued leaf = TestPki.leaf("spiffe://" + TRUST_DOMAIN + "/ns/default/dc/dc2/svc/counting")
			.validity(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)))
			.signedBy(root);
		try (MeshServer server = MeshServers.start(CertificateSource.of(snapshot(TRUST_DOMAIN, "counting", leaf, root)),
				"counting")) {
			this.upstreams.expect("127.0.0.1", server.port(), UpstreamIdentity.of("dc2", "counting"));
			HttpClient http = MeshHttpClients.secure(HttpClient.create(), dashboard, this.upstreams);
			assertThat(get(http, server.port(), "counting")).isEqualTo("counting");
			this.upstreams.forget("127.0.0.1", server.port(), UpstreamIdentity.of("dc2", "counting"));
			this.upstreams.expect("127.0.0.1", server.port(), UpstreamIdentity.of("dc1", "counting"));
			// Refused on the pooled connection or in a new handshake, whichever comes first: never sent.
			assertThatThrownBy(() -> get(http, server.port(), "counting")).hasStackTraceContaining(
					"at 127.0.0.1:" + server.port() + ", but the server presented 'spiffe://" + TRUST_DOMAIN
							+ "/ns/default/dc/dc2/svc/counting'");
			assertThat(server.log().handled).as("requests the server handled").hasValue(1);
		}
	}

	private void assertBadServerRefused(Function<TestPki.Issued, TestPki.Issued> serverLeaf,
			String reason) throws Exception {
		TestPki.Issued root = root(TRUST_DOMAIN);
		CertificateSource dashboard = CertificateSource
			.of(snapshot(TRUST_DOMAIN, "dashboard", leaf(TRUST_DOMAIN, "dashboard", root), root));
		CertificateSource counting = CertificateSource
			.of(snapshot(TRUST_DOMAIN, "counting", serverLeaf.apply(root), root));
		try (MeshServer server = MeshServers.start(counting, "counting")) {
			this.upstreams.expect("127.0.0.1", server.port(), UpstreamIdentity.of("dc1", "counting"));
			HttpClient http = MeshHttpClients.secure(HttpClient.create(), dashboard, this.upstreams);
			assertThatThrownBy(() -> get(http, server.port())).hasStackTraceContaining(reason);
			assertThat(server.log().requestBytes).as("request bytes the server received").hasValue(0);
			assertThat(server.log().handled).as("the server never received a request").hasValue(0);
		}
	}

}
