package dev.connect.autoconfigure.client;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.connect.agent.DevAgentSettings;
import dev.connect.test.TestMesh;
import dev.connect.tls.CertificateSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A Spring MVC application on Tomcat ('dashboard') calling 'counting' instances through its
 * {@code @LoadBalanced RestClient.Builder} and {@code @LoadBalanced RestTemplate}, against one dev agent: the same
 * guarantees as the WebClient's ({@link LoadBalancedMeshCallsIntegrationTests}), from the same mesh client: load
 * balancing and a retry when nothing was sent, an impostor refused before any byte, and pooled connections retired
 * when the caller's leaf and roots rotate, with no failed call.
 */
class BlockingMeshCallsIntegrationTests {

	private static final Duration PROMPTLY = Duration.ofSeconds(10);

	@Test
	void restClientAndRestTemplateReachEveryProvenInstanceRetryWhenNothingWasSentAndPlainClientsAreUntouched()
			throws Exception {
		try (TestMesh mesh = TestMesh.start()) {
			mesh.allow("dashboard", "counting");
			try (ConfigurableApplicationContext first = counting(mesh);
					ConfigurableApplicationContext second = counting(mesh);
					ConfigurableApplicationContext dashboard = dashboard(mesh, Dashboard.class)) {
				RestClient client = dashboard.getBean(RestClient.Builder.class).build();
				RestTemplate template = dashboard.getBean("meshRestTemplate", RestTemplate.class);
				Set<String> live = Set.of(port(first), port(second));
				assertThat(answering(() -> client.get().uri("http://counting/whoami").retrieve().body(String.class)))
					.isEqualTo(live);
				assertThat(answering(() -> template.getForObject("http://counting/whoami", String.class)))
					.isEqualTo(live);
				RestTemplate plain = dashboard.getBean("plainRestTemplate", RestTemplate.class);
				assertThat(plain.getInterceptors()).isEmpty();
				assertThat(plain.getRequestFactory()).isNotInstanceOf(MeshClientHttpRequestFactory.class);

				// A registered, passing instance whose port refuses connections (its process died a moment ago).
				int deadPort;
				try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
					deadPort = socket.getLocalPort();
				}
				register(mesh, "{\"ID\":\"counting-dead\",\"Name\":\"counting\",\"Address\":\"127.0.0.1\",\"Port\":"
						+ deadPort + ",\"Connect\":{\"Native\":true}}");
				ServiceInstanceListSupplier instances = dashboard.getBean(LoadBalancerClientFactory.class)
					.getInstance("counting", ServiceInstanceListSupplier.class);
				long deadline = System.nanoTime() + PROMPTLY.toNanos();
				while (instances.get().blockFirst(PROMPTLY).size() < 3 && System.nanoTime() < deadline) {
					Thread.sleep(50);
				}
				assertThat(instances.get().blockFirst(PROMPTLY)).hasSize(3);
				RestClient named = dashboard.getBean(ConnectUpstreams.class).restClient("counting");
				for (int i = 0; i < 6; i++) {
					// Nothing reached the dead instance, so a POST is retried as well.
					String posted = client.post().uri("http://counting/whoami").retrieve().body(String.class);
					assertThat(posted.split(" ")[0]).isIn(live);
					assertThat(named.get().uri("/whoami").retrieve().body(String.class).split(" ")[0]).isIn(live);
				}
			}
		}
	}

	@Test
	void anImpostorRegisteredUnderTheUpstreamsNameGetsNoRequest() throws Exception {
		try (TestMesh mesh = TestMesh.start()) {
			mesh.allow("dashboard", "*");
			try (ConfigurableApplicationContext billing = new SpringApplicationBuilder(
					LoadBalancedMeshCallsIntegrationTests.Counting.class)
				.properties("server.port=0", "spring.application.name=billing", "connect.agent.url=" + mesh.agentUrl())
				.run(); ConfigurableApplicationContext dashboard = dashboard(mesh, Dashboard.class)) {
				register(mesh, "{\"ID\":\"impostor\",\"Name\":\"counting\",\"Address\":\"127.0.0.1\",\"Port\":"
						+ port(billing) + ",\"Connect\":{\"Native\":true}}");
				RestClient client = dashboard.getBean(RestClient.Builder.class).build();
				assertThatThrownBy(() -> client.get().uri("http://counting/whoami").retrieve().body(String.class))
					.hasStackTraceContaining("Expected '/ns/default/dc/dc1/svc/counting' at 127.0.0.1:" + port(billing)
							+ ", but the server presented 'spiffe://" + mesh.trustDomain()
							+ "/ns/default/dc/dc1/svc/billing'");
				assertThat(billing.getBean(LoadBalancedMeshCallsIntegrationTests.Counting.class).handled)
					.as("requests the impostor received")
					.hasValue(0);
			}
		}
	}

	@Test
	void callsKeepSucceedingWhileTheCallersLeafAndRootsRotate() throws Exception {
		try (TestMesh mesh = TestMesh.start(DevAgentSettings.defaults().withHttpPort(0)
			.withRootRotationJitter(Duration.ofSeconds(2)))) {
			mesh.allow("dashboard", "counting");
			try (ConfigurableApplicationContext counting = counting(mesh);
					ConfigurableApplicationContext dashboard = dashboard(mesh, Dashboard.class)) {
				RestClient client = dashboard.getBean(RestClient.Builder.class).build();
				assertThat(client.get().uri("http://counting/whoami").retrieve().body(String.class))
					.startsWith(port(counting) + " ");
				CertificateSource own = dashboard.getBean(CertificateSource.class);
				String firstSerial = callerSerial(client);
				assertThat(firstSerial).isEqualTo(own.current().leaf().getSerialNumber().toString(16));
				List<String> failures = new CopyOnWriteArrayList<>();
				AtomicInteger ok = new AtomicInteger();
				AtomicBoolean running = new AtomicBoolean(true);
				CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
					while (running.get()) {
						try {
							callerSerial(client);
							ok.incrementAndGet();
						}
						catch (RuntimeException ex) {
							failures.add(ex.toString());
						}
					}
				});
				try {
					HttpResponse<String> rotated = HttpClient.newHttpClient()
						.send(HttpRequest.newBuilder(URI.create(mesh.agentUrl() + "/v1/connect/ca/configuration"))
							.PUT(HttpRequest.BodyPublishers.ofString(
									"{\"Provider\":\"consul\",\"Config\":{\"PrivateKeyType\":\"ec\",\"PrivateKeyBits\":384}}"))
							.build(), HttpResponse.BodyHandlers.ofString());
					assertThat(rotated.statusCode()).isEqualTo(200);
					String renewed = await(() -> own.current().leaf().getSerialNumber().toString(16),
							(serial) -> !serial.equals(firstSerial), Duration.ofSeconds(35));
					assertThat(renewed).as("the dashboard got its re-issued leaf").isNotEqualTo(firstSerial);
					String seen = await(() -> callerSerial(client), renewed::equals, PROMPTLY);
					assertThat(seen).as("counting sees the dashboard's re-issued leaf (pooled connections retired)")
						.isEqualTo(renewed);
					int target = ok.get() + 5;
					int after = await(ok::get, (count) -> count >= target, PROMPTLY);
					assertThat(after).as("calls kept flowing after the rotation").isGreaterThanOrEqualTo(target);
				}
				finally {
					running.set(false);
					load.get();
				}
				assertThat(failures).as("failed calls during rotation").isEmpty();
			}
		}
	}

	private static String callerSerial(RestClient client) {
		return client.get().uri("http://counting/whoami").retrieve().body(String.class).split(" ")[1];
	}

	private static <T> T await(Supplier<T> value, Predicate<T> condition, Duration timeout)
			throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		T current = value.get();
		while (!condition.test(current) && System.nanoTime() < deadline) {
			Thread.sleep(100);
			current = value.get();
		}
		return current;
	}

	private static Set<String> answering(java.util.function.Supplier<String> call) {
		Set<String> ports = new HashSet<>();
		for (int i = 0; i < 6; i++) {
			ports.add(call.get().split(" ")[0]);
		}
		return ports;
	}

	private static void register(TestMesh mesh, String registration) throws Exception {
		HttpResponse<String> registered = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(mesh.agentUrl() + "/v1/agent/service/register"))
				.PUT(HttpRequest.BodyPublishers.ofString(registration))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
	}

	private static String port(ConfigurableApplicationContext app) {
		return app.getEnvironment().getProperty("local.server.port");
	}

	private static ConfigurableApplicationContext counting(TestMesh mesh) {
		return new SpringApplicationBuilder(
				LoadBalancedMeshCallsIntegrationTests.Counting.class)
			.properties("server.port=0", "spring.application.name=counting", "connect.agent.url=" + mesh.agentUrl())
			.run();
	}

	private static ConfigurableApplicationContext dashboard(TestMesh mesh, Class<?> app) {
		return new SpringApplicationBuilder(app)
			.properties("server.port=0", "spring.application.name=dashboard", "connect.agent.url=" + mesh.agentUrl())
			.run("--spring.main.web-application-type=servlet");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Dashboard {

		@Bean
		@LoadBalanced
		RestClient.Builder meshRestClient() {
			return RestClient.builder();
		}

		@Bean
		@LoadBalanced
		RestTemplate meshRestTemplate() {
			return new RestTemplate();
		}

		@Bean
		RestTemplate plainRestTemplate() {
			return new RestTemplate();
		}

	}

}
