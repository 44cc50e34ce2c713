package dev.connect.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.api.CaRoots;
import dev.connect.api.Indexed;
import dev.connect.pki.Pem;
import dev.connect.pki.TestPki;
import io.netty.handler.ssl.SslContextBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.server.HttpServer;
import reactor.netty.tcp.SslProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An agent reached over HTTPS, its certificate trusted through a CA file (Consul's CONSUL_CACERT).
 */
class AgentClientHttpsIntegrationTests {

	@TempDir
	Path directory;

	@Test
	void clientTrustsTheAgentThroughTheCaFileAndNotOtherwise() throws Exception {
		Instant now = Instant.now();
		TestPki.Issued ca = TestPki.root("agent-ca.test", now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
		TestPki.Issued certificate = TestPki.leaf("spiffe://agent-ca.test/agent")
			.dnsNames("localhost")
			.validity(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)))
			.signedBy(ca);
		Path caFile = this.directory.resolve("agent-ca.pem");
		Files.writeString(caFile, Pem.encode(ca.certificate()));
		SslProvider.GenericSslContextSpec<SslContextBuilder> tls = Http11SslContextSpec
			.forServer(certificate.keyPair().getPrivate(), certificate.certificate());
		HttpClient forward = HttpClient.newHttpClient();
		try (DevAgent agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0))) {
			DisposableServer https = HttpServer.create()
				.host("127.0.0.1")
				.port(0)
				.secure((spec) -> spec.sslContext(tls))
				.handle((request, response) -> Mono.fromCallable(() -> forward.send(
						HttpRequest.newBuilder(URI.create(agent.httpAddress() + request.uri())).build(),
						HttpResponse.BodyHandlers.ofString()))
					.subscribeOn(Schedulers.boundedElastic())
					.flatMap((answer) -> response
						.header("X-Consul-Index", answer.headers().firstValue("X-Consul-Index").orElse("1"))
						.sendString(Mono.just(answer.body()))
						.then()))
				.bindNow();
			try {
				URI address = URI.create("https://localhost:" + https.port());
				AgentClient trusting = AgentClient
					.create(new AgentClientSettings(address, null, Duration.ofSeconds(5), caFile));
				Indexed<CaRoots> roots = trusting.roots(0, Duration.ZERO).block(Duration.ofSeconds(10));
				assertThat(roots.value().trustDomain()).isEqualTo(agent.trustDomain().name());
				AgentClient untrusting = AgentClient.create(new AgentClientSettings(address, null, Duration.ofSeconds(5), null));
				assertThatThrownBy(() -> untrusting.roots(0, Duration.ZERO).block(Duration.ofSeconds(10)))
					.isInstanceOf(AgentException.class)
					.hasMessageStartingWith("Unable to reach the agent at " + address);
			}
			finally {
				https.disposeNow();
			}
		}
	}

}
