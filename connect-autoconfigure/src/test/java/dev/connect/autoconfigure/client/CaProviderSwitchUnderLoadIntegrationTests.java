package dev.connect.autoconfigure.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.connect.agent.DevAgentSettings;
import dev.connect.autoconfigure.registration.ConnectService;
import dev.connect.test.SvidAuthority;
import dev.connect.test.TestMesh;
import dev.connect.test.VaultPkiTestServer;
import dev.connect.tls.CertificateSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WebFlux 'dashboard' calls 'counting' through the mesh without pause while the CA switches provider through
 * {@code PUT /v1/connect/ca/configuration}: built-in → own root → Vault (the Vault PKI test server) → built-in. Each
 * switch is a cross-signed rotation; both apps get leaves of the new root, and no call fails.
 */
class CaProviderSwitchUnderLoadIntegrationTests {

	private static final Duration PROMPTLY = Duration.ofSeconds(10);

	private static final Duration REISSUED = Duration.ofSeconds(30);

	@Test
	void callsKeepSucceedingWhileTheCaSwitchesFromConsulToOwnRootToVaultAndBack() throws Exception {
		try (VaultPkiTestServer vault = VaultPkiTestServer.start();
				TestMesh mesh = TestMesh.start(DevAgentSettings.defaults().withHttpPort(0)
					.withRootRotationJitter(Duration.ofSeconds(1)))) {
			mesh.allow("dashboard", "counting");
			try (ConfigurableApplicationContext counting = app(Counting.class, "counting", mesh);
					ConfigurableApplicationContext dashboard = app(Dashboard.class, "dashboard", mesh)) {
				WebClient client = dashboard.getBean(WebClient.Builder.class).build();
				CertificateSource callerLeaf = dashboard.getBean(CertificateSource.class);
				CertificateSource serverLeaf = counting.getBean(CertificateSource.class);
				call(client);
				List<String> failures = new CopyOnWriteArrayList<>();
				AtomicInteger ok = new AtomicInteger();
				AtomicBoolean running = new AtomicBoolean(true);
				CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
					while (running.get()) {
						try {
							call(client);
							ok.incrementAndGet();
						}
						catch (RuntimeException ex) {
							failures.add(ex.toString());
						}
					}
				});
				try {
					String trustDomain = callerLeaf.current().trustDomain().name();
					SvidAuthority own = SvidAuthority.builder().trustDomain(trustDomain).build();
					Map<String, Object> vaultConfig = new LinkedHashMap<>();
					vaultConfig.put("Address", vault.address().toString());
					vaultConfig.put("Token", vault.createToken(Duration.ofHours(1), true));
					vaultConfig.put("RootPKIPath", "connect-root");
					vaultConfig.put("IntermediatePKIPath", "connect-intermediate");
					for (Map<String, Object> body : List.of(
							Map.<String, Object>of("Provider", "consul", "Config", Map.of("RootCert",
									own.root().certificatePem(), "PrivateKey", own.root().privateKeyPem())),
							Map.<String, Object>of("Provider", "vault", "Config", vaultConfig),
							Map.<String, Object>of("Provider", "consul", "Config", Map.of()))) {
						X509Certificate root = configure(mesh, body);
						awaitSignedUnder(callerLeaf, root);
						awaitSignedUnder(serverLeaf, root);
						int before = ok.get();
						Thread.sleep(1000);
						assertThat(ok.get()).as("calls kept flowing after switching to %s", body.get("Provider"))
							.isGreaterThan(before);
					}
				}
				finally {
					running.set(false);
					load.get();
				}
				assertThat(failures).as("failed calls while the CA switched provider").isEmpty();
			}
		}
	}

	/** PUTs the configuration and answers the new active root. */
	private static X509Certificate configure(TestMesh mesh, Map<String, Object> body) throws Exception {
		JsonMapper json = JsonMapper.builder().build();
		HttpClient http = HttpClient.newHttpClient();
		HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(mesh.agentUrl()
				+ "/v1/connect/ca/configuration"))
			.PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
		String roots = http.send(HttpRequest.newBuilder(URI.create(mesh.agentUrl() + "/v1/connect/ca/roots")).build(),
				HttpResponse.BodyHandlers.ofString()).body();
		for (var root : json.readTree(roots).get("Roots")) {
			if (root.get("Active").asBoolean()) {
				return dev.connect.pki.Pem.parseCertificates(root.get("RootCert").asString()).get(0);
			}
		}
		throw new AssertionError("no active root in " + roots);
	}

	/** Waits until the app's leaf chains to the root: signed by it or by the intermediate it carries. */
	private static void awaitSignedUnder(CertificateSource source, X509Certificate root) throws InterruptedException {
		long deadline = System.nanoTime() + REISSUED.toNanos();
		while (!signedUnder(source, root) && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		assertThat(signedUnder(source, root)).as("leaf re-issued under the new root").isTrue();
	}

	/** Signed by the root's key itself, or by an intermediate in the chain that the root signed. */
	private static boolean signedUnder(CertificateSource source, X509Certificate root) {
		List<X509Certificate> chain = source.current().chain();
		if (verifies(chain.get(0), root)) {
			return true;
		}
		return chain.stream().skip(1).anyMatch((intermediate) -> verifies(intermediate, root)
				&& verifies(chain.get(0), intermediate));
	}

	private static boolean verifies(X509Certificate certificate, X509Certificate issuer) {
		try {
			certificate.verify(issuer.getPublicKey());
			return true;
		}
		catch (GeneralSecurityException ex) {
			return false;
		}
	}

	private static String call(WebClient client) {
		return client.get().uri("http://counting/hello").retrieve().bodyToMono(String.class).block(PROMPTLY);
	}

	private static ConfigurableApplicationContext app(Class<?> type, String name, TestMesh mesh) {
		return new SpringApplicationBuilder(type)
			.properties("server.port=0", "spring.application.name=" + name, "connect.agent.url=" + mesh.agentUrl())
			.run();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@ConnectService
	@Import(OwnReactorResources.class)
	static class Counting {

		@Bean
		RouterFunction<ServerResponse> routes() {
			return RouterFunctions.route()
				.route((request) -> request.path().equals("/hello"), (request) -> ServerResponse.ok().bodyValue("hello"))
				.build();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(OwnReactorResources.class)
	static class Dashboard {

		@Bean
		@LoadBalanced
		WebClient.Builder meshWebClient() {
			return WebClient.builder();
		}

	}

}
