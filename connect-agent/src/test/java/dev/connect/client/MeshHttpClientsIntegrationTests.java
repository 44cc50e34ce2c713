package dev.connect.client;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.tls.CertificateSource;
import dev.connect.tls.IdentityTrustManager;
import dev.connect.tls.MeshHttpClients;
import dev.connect.tls.SnapshotKeyManager;
import dev.connect.tls.UpstreamAddressBook;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.KeyManagerFactoryWrapper;
import io.netty.handler.ssl.util.TrustManagerFactoryWrapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The mesh client against real mesh servers whose certificates the dev agent issued.
 */
class MeshHttpClientsIntegrationTests {

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

	private CertificateSource identity(String service) {
		return identity(this.agent, service);
	}

	private static CertificateSource identity(DevAgent agent, String service) {
		AgentClient client = AgentClient.create(AgentClientSettings.defaults().withAddress(URI.create(agent.httpAddress())));
		AgentCertificateSource source = AgentCertificateSource.start(client, service, Clock.systemUTC());
		try {
			return CertificateSource.of(source.ready(Duration.ofSeconds(10)).block());
		}
		finally {
			source.dispose();
		}
	}

	private DisposableServer meshServer(String service, AtomicInteger handled) throws Exception {
		return meshServer(this.agent, service, handled);
	}

	private static DisposableServer meshServer(DevAgent issuer, String service, AtomicInteger handled) throws Exception {
		CertificateSource source = identity(issuer, service);
		var context = SslContextBuilder.forServer(new KeyManagerFactoryWrapper(new SnapshotKeyManager(source)))
			.trustManager(new TrustManagerFactoryWrapper(new IdentityTrustManager(source, IdentityTrustManager.PeerVerifier.none())))
			.clientAuth(ClientAuth.REQUIRE)
			.build();
		return HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.secure((spec) -> spec.sslContext(context))
			.handle((request, response) -> {
				handled.incrementAndGet();
				return response.sendString(Mono.just(service));
			})
			.bindNow();
	}

	private HttpClient client() {
		return MeshHttpClients.secure(HttpClient.create(), identity("dashboard"), this.upstreams);
	}

	@Test
	void theExpectedServiceAnswersWithoutAnyHostnameCheck() throws Exception {
		AtomicInteger handled = new AtomicInteger();
		DisposableServer counting = meshServer("counting", handled);
		try {
			this.upstreams.expect("127.0.0.1", counting.port(), "counting");
			String body = client().get().uri("https://127.0.0.1:" + counting.port() + "/count")
				.responseSingle((response, content) -> content.asString())
				.block(Duration.ofSeconds(10));
			assertThat(body).isEqualTo("counting");
			assertThat(handled).hasValue(1);
		}
		finally {
			counting.disposeNow();
		}
	}

	@Test
	void anImpostorWithAValidCertificateForAnotherServiceIsRefusedBeforeAnyRequestByte() throws Exception {
		AtomicInteger handled = new AtomicInteger();
		DisposableServer impostor = meshServer("billing", handled);
		try {
			this.upstreams.expect("127.0.0.1", impostor.port(), "counting");
			assertThatThrownBy(() -> client().get().uri("https://127.0.0.1:" + impostor.port() + "/count")
				.responseSingle((response, content) -> content.asString())
				.block(Duration.ofSeconds(10)))
				.hasStackTraceContaining("Expected service 'counting' at 127.0.0.1:" + impostor.port()
						+ ", but the server presented 'spiffe://" + this.agent.trustDomain() + "/ns/default/dc/dc1/svc/billing'");
			assertThat(handled).as("the impostor never received a request").hasValue(0);
		}
		finally {
			impostor.disposeNow();
		}
	}

	@Test
	void aServerWhoseChainComesFromAnotherCaIsRefusedBeforeAnyRequestByte() throws Exception {
		try (DevAgent other = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0))) {
			AtomicInteger handled = new AtomicInteger();
			DisposableServer foreign = meshServer(other, "counting", handled);
			try {
				this.upstreams.expect("127.0.0.1", foreign.port(), "counting");
				assertThatThrownBy(() -> client().get().uri("https://127.0.0.1:" + foreign.port() + "/count")
					.responseSingle((response, content) -> content.asString())
					.block(Duration.ofSeconds(10)))
					.hasStackTraceContaining("does not chain to a trusted root of this mesh");
				assertThat(handled).hasValue(0);
			}
			finally {
				foreign.disposeNow();
			}
		}
	}

	@Test
	void anAddressNobodyRecordedIsRefused() throws Exception {
		AtomicInteger handled = new AtomicInteger();
		DisposableServer unknown = meshServer("counting", handled);
		try {
			assertThatThrownBy(() -> client().get().uri("https://127.0.0.1:" + unknown.port() + "/count")
				.responseSingle((response, content) -> content.asString())
				.block(Duration.ofSeconds(10)))
				.hasStackTraceContaining("No mesh service is expected at 127.0.0.1:" + unknown.port());
			assertThat(handled).hasValue(0);
		}
		finally {
			unknown.disposeNow();
		}
	}

}
