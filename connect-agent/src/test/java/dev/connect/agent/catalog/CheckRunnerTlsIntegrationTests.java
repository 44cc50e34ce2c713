package dev.connect.agent.catalog;

import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.TrustManagerFactory;

import dev.connect.agent.index.ChangeIndex;
import dev.connect.api.ServiceRegistration;
import dev.connect.pki.TestPki;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An HTTPS check verifies the certificate for {@code TLSServerName} when set, as Consul's Go client verifies its
 * {@code ServerName}, and for the URL's host otherwise: against a real HTTPS server on 127.0.0.1 whose certificate
 * names {@code billing.internal} only, issued by a root the runner trusts.
 */
class CheckRunnerTlsIntegrationTests {

	private final TestPki.Issued root = TestPki.root("checks.test", Instant.now().minus(Duration.ofHours(1)),
			Instant.now().plus(Duration.ofDays(1)));

	private DisposableServer server;

	private LoopResources loops;

	private Catalog catalog;

	private CheckRunner runner;

	@BeforeEach
	void start() throws Exception {
		TestPki.Issued leaf = TestPki.leaf("spiffe://checks.test/ns/default/dc/dc1/svc/billing")
			.dnsNames("billing.internal")
			.validity(Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1)))
			.signedBy(this.root);
		reactor.netty.tcp.SslProvider.GenericSslContextSpec<SslContextBuilder> tls = Http11SslContextSpec
			.forServer(leaf.keyPair().getPrivate(), leaf.certificate(), this.root.certificate())
			.configure((builder) -> builder.sslProvider(SslProvider.JDK));
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.secure((ssl) -> ssl.sslContext(tls))
			.handle((request, response) -> response.sendString(Mono.just("ok")))
			.bindNow();
		KeyStore anchors = KeyStore.getInstance("PKCS12");
		anchors.load(null, null);
		anchors.setCertificateEntry("root", this.root.certificate());
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(anchors);
		this.loops = LoopResources.create("check-tls-test", 1, true);
		this.catalog = new Catalog(new ChangeIndex(1), Clock.systemUTC(),
				new Catalog.NodeInfo("id", "node", "127.0.0.1", "dc1"));
		this.runner = new CheckRunner(this.catalog, this.loops, trust);
	}

	@AfterEach
	void stop() {
		this.runner.dispose();
		this.server.disposeNow();
		this.loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(6));
	}

	@ParameterizedTest(name = "TLSServerName \"{0}\" -> {1}")
	@CsvSource({ "billing.internal, passing", "'', critical", "other.internal, critical" })
	void theCertificateIsVerifiedForTheServerNameOrElseTheUrlsHost(String serverName, String status)
			throws Exception {
		String url = "https://127.0.0.1:" + this.server.port() + "/health";
		ServiceRegistration registration = JsonMapper.builder()
			.disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
			.build()
			.readValue("""
				{"ID":"billing-1","Name":"billing","Port":%d,
				 "Check":{"HTTP":"%s","TLSServerName":"%s","Interval":"100ms","Timeout":"5s","Status":"warning"}}"""
			.formatted(this.server.port(), url, serverName), ServiceRegistration.class);
		this.catalog.register(registration, false);
		CheckState check = this.catalog.checks().get("service:billing-1");
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (check.status().equals("warning")) {
			assertThat(System.nanoTime()).as("probed within 10 s").isLessThan(deadline);
			Thread.sleep(50);
			check = this.catalog.checks().get("service:billing-1");
		}
		assertThat(check.status()).as(check.output()).isEqualTo(status);
		if (status.equals("passing")) {
			assertThat(check.output()).isEqualTo("HTTP GET " + url + ": 200 OK Output: ok");
		}
		else {
			assertThat(check.output()).startsWith("HTTP check " + url + " failed: ");
		}
	}

}
