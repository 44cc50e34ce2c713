package dev.connect.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.pki.Pem;
import dev.connect.tls.CertificateSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentCertificateSourceIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	/** Re-issues leaves right after a root change instead of within 30 s, so the test need not wait. */
	private DevAgent agentWithoutJitter() {
		SecureRandom noJitter = new SecureRandom() {

			@Override
			public long nextLong(long bound) {
				return 0;
			}

		};
		DevAgent agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0), Clock.systemUTC(), noJitter);
		this.closeables.add(agent);
		return agent;
	}

	private AgentCertificateSource source(String address) {
		AgentClient client = AgentClient.create(AgentClientSettings.defaults().withAddress(URI.create(address)));
		AgentCertificateSource source = AgentCertificateSource.start(client, "web", Clock.systemUTC());
		this.closeables.add(source::dispose);
		return source;
	}

	@Test
	void firstSnapshotHoldsTheServiceLeafKeyAndRoots() {
		DevAgent agent = agentWithoutJitter();
		CertificateSnapshot snapshot = source(agent.httpAddress()).ready(TIMEOUT).block();
		assertThat(snapshot.identity().service()).isEqualTo("web");
		assertThat(snapshot.trustDomain()).isEqualTo(agent.trustDomain());
		assertThat(snapshot.roots()).hasSize(1);
		assertThat(snapshot.leaf().getPublicKey().getAlgorithm()).isEqualTo("EC");
		assertThat(snapshot.toString()).doesNotContain("PRIVATE");
	}

	@Test
	void rootRotationPublishesTheNewRootsThenTheReissuedLeaf() throws Exception {
		DevAgent agent = agentWithoutJitter();
		AgentCertificateSource source = source(agent.httpAddress());
		CertificateSnapshot first = source.ready(TIMEOUT).block();
		List<CertificateSnapshot> published = new CopyOnWriteArrayList<>();
		source.onChange(published::add);
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		var key = generator.generateKeyPair();
		String body = "{\"Provider\":\"consul\",\"Config\":{\"PrivateKey\":"
				+ tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(
						Pem.encodeSec1(key.getPrivate(), key.getPublic()))
				+ "}}";
		HttpResponse<String> put = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(agent.httpAddress() + "/v1/connect/ca/configuration"))
				.PUT(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(put.statusCode()).isEqualTo(200);
		AgentClientIntegrationTests.await(() -> source.current().leaf().getPublicKey() != first.leaf().getPublicKey()
				&& source.current().chain().size() == 2);
		CertificateSnapshot rotated = source.current();
		assertThat(rotated.roots()).hasSize(2);
		assertThat(rotated.generation()).isGreaterThan(first.generation());
		assertThat(rotated.chain().get(1).getPublicKey()).as("the cross-signed root travels with the leaf")
			.isEqualTo(key.getPublic());
		assertThat(published).last().isEqualTo(rotated);
	}

	@Test
	void contradictoryMaterialIsRefusedAndNothingIsPublished() {
		DevAgent rootsFrom = agentWithoutJitter();
		DevAgent leafFrom = agentWithoutJitter();
		HttpClient http = HttpClient.newHttpClient();
		DisposableServer fake = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes
				.get("/v1/agent/connect/ca/roots",
						(request, response) -> response.header("X-Consul-Index", "7")
							.sendString(Mono.fromCallable(() -> fetch(http, rootsFrom.httpAddress() + "/v1/agent/connect/ca/roots"))))
				.get("/v1/agent/connect/ca/leaf/web",
						(request, response) -> response.header("X-Consul-Index", "9")
							.sendString(Mono.fromCallable(() -> fetch(http, leafFrom.httpAddress() + "/v1/agent/connect/ca/leaf/web")))))
			.bindNow();
		this.closeables.add(fake::disposeNow);
		AgentCertificateSource source = source("http://127.0.0.1:" + fake.port());
		assertThatThrownBy(() -> source.ready(Duration.ofSeconds(2)).block()).hasCauseInstanceOf(java.util.concurrent.TimeoutException.class);
		assertThat(source.current()).isNull();
		assertThat(source.lastProblem()).startsWith("Refused new certificate material for 'web'")
			.contains("does not chain to a trusted root of this mesh")
			.endsWith("keeping the previous material");
	}

	private static String fetch(HttpClient http, String url) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
	}

}
