package dev.connect.autoconfigure.client;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import dev.connect.agent.DevAgentSettings;
import dev.connect.autoconfigure.registration.ConnectService;
import dev.connect.test.TestMesh;
import dev.connect.tls.CertificateSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClient;
import org.springframework.cloud.loadbalancer.core.DelegatingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Real applications against one dev agent: 'counting' instances and a 'dashboard' that calls
 * {@code http://counting/whoami} through its {@code @LoadBalanced WebClient.Builder}. Each counting instance
 * answers with its port and the serial of the caller's certificate.
 */
class LoadBalancedMeshCallsIntegrationTests {

	private static final Duration PROMPTLY = Duration.ofSeconds(10);

	@Test
	void roundRobinOverHealthyInstancesThatJoinLeaveAndFailTheirCheck() throws Exception {
		try (TestMesh mesh = TestMesh.start()) {
			mesh.allow("dashboard", "counting");
			List<ConfigurableApplicationContext> instances = new ArrayList<>();
			// The instance that leaves keeps serving for a second after it deregistered (the starter's default).
			instances.add(counting(mesh, Duration.ofSeconds(1)));
			instances.add(counting(mesh));
			try (ConfigurableApplicationContext dashboard = dashboard(mesh)) {
				WebClient client = dashboard.getBean(WebClient.Builder.class).build();
				String first = port(instances.get(0));
				String second = port(instances.get(1));
				awaitAnswers(client, (answers) -> answers.equals(Set.of(first, second)));
				Map<String, Integer> counts = new HashMap<>();
				for (int i = 0; i < 8; i++) {
					counts.merge(call(client).port(), 1, Integer::sum);
				}
				assertThat(counts).as("round robin").isEqualTo(Map.of(first, 4, second, 4));

				// A new instance starts receiving traffic.
				instances.add(counting(mesh));
				String third = port(instances.get(2));
				awaitAnswers(client, (answers) -> answers.contains(third));

				// The first instance shuts down (it deregisters, serves on while callers learn it left, then stops):
				// calls made meanwhile all succeed. Without the delay, a call sent on a kept-alive connection just as
				// the stopping server closes it fails after it was sent, which is not retried.
				List<String> failures = new CopyOnWriteArrayList<>();
				AtomicBoolean running = new AtomicBoolean(true);
				CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
					while (running.get()) {
						try {
							call(client);
						}
						catch (RuntimeException ex) {
							failures.add(ex.toString());
						}
					}
				});
				try {
					instances.get(0).close();
					awaitAnswers(client, (answers) -> answers.equals(Set.of(second, third)));
				}
				finally {
					running.set(false);
					load.get();
				}
				assertThat(failures).as("calls failed while an instance left").isEmpty();

				// The second instance starts failing its check: it leaves the healthy set and stops getting traffic.
				AvailabilityChangeEvent.publish(instances.get(1), ReadinessState.REFUSING_TRAFFIC);
				awaitAnswers(client, (answers) -> answers.equals(Set.of(third)));
				for (int i = 0; i < 6; i++) {
					assertThat(call(client).port()).isEqualTo(third);
				}
			}
			finally {
				for (ConfigurableApplicationContext instance : instances) {
					instance.close();
				}
			}
		}
	}

	@Test
	void aCallWhoseConnectionIsRefusedIsRetriedOnceOnAnotherInstance() throws Exception {
		try (TestMesh mesh = TestMesh.start()) {
			mesh.allow("dashboard", "counting");
			ConfigurableApplicationContext live = counting(mesh);
			try (ConfigurableApplicationContext dashboard = dashboard(mesh)) {
				// A registered, passing instance whose port refuses connections (its process died a moment ago).
				int deadPort;
				try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
					deadPort = socket.getLocalPort();
				}
				register(mesh, "{\"ID\":\"counting-dead\",\"Name\":\"counting\",\"Address\":\"127.0.0.1\",\"Port\":"
						+ deadPort + ",\"Connect\":{\"Native\":true}}");
				WebClient client = dashboard.getBean(WebClient.Builder.class).build();
				ServiceInstanceListSupplier instances = dashboard.getBean(LoadBalancerClientFactory.class)
					.getInstance("counting", ServiceInstanceListSupplier.class);
				long deadline = System.nanoTime() + PROMPTLY.toNanos();
				while (instances.get().blockFirst(PROMPTLY).size() < 2 && System.nanoTime() < deadline) {
					Thread.sleep(50);
				}
				assertThat(instances.get().blockFirst(PROMPTLY)).hasSize(2);
				for (int i = 0; i < 10; i++) {
					assertThat(call(client).port()).isEqualTo(port(live));
				}
				// Nothing reached the dead instance, so a POST is retried as well.
				for (int i = 0; i < 4; i++) {
					String answer = client.post().uri("http://counting/whoami").retrieve().bodyToMono(String.class)
						.block(PROMPTLY);
					assertThat(answer).startsWith(port(live) + " ");
				}
			}
			finally {
				live.close();
			}
		}
	}

	@Test
	void anImpostorRegisteredUnderTheUpstreamsNameGetsNoRequest() throws Exception {
		try (TestMesh mesh = TestMesh.start()) {
			mesh.allow("dashboard", "*");
			ConfigurableApplicationContext billing = new SpringApplicationBuilder(Counting.class)
				.properties("server.port=0", "spring.application.name=billing", "connect.agent.url=" + mesh.agentUrl())
				.run();
			try (ConfigurableApplicationContext dashboard = dashboard(mesh)) {
				// A perfectly valid mesh server for 'billing', registered as an instance of 'counting'.
				register(mesh, "{\"ID\":\"impostor\",\"Name\":\"counting\",\"Address\":\"127.0.0.1\",\"Port\":"
						+ port(billing) + ",\"Connect\":{\"Native\":true}}");
				WebClient client = dashboard.getBean(WebClient.Builder.class).build();
				assertThatThrownBy(() -> call(client)).hasStackTraceContaining("Expected '/ns/default/dc/dc1/svc/counting' at 127.0.0.1:"
						+ port(billing) + ", but the server presented 'spiffe://" + mesh.trustDomain()
						+ "/ns/default/dc/dc1/svc/billing'");
				assertThat(billing.getBean(Counting.class).handled).as("requests the impostor received").hasValue(0);
			}
			finally {
				billing.close();
			}
		}
	}

	@Test
	void aNamedUpstreamIsCalledThroughConnectUpstreamsWithoutALoadBalancedBean() throws Exception {
		try (TestMesh mesh = TestMesh.start()) {
			mesh.allow("dashboard", "counting");
			ConfigurableApplicationContext first = counting(mesh);
			ConfigurableApplicationContext second = counting(mesh);
			try (ConfigurableApplicationContext dashboard = new SpringApplicationBuilder(PlainDashboard.class)
				.properties("server.port=0", "spring.application.name=dashboard", "connect.agent.url=" + mesh.agentUrl())
				.run()) {
				assertThat(dashboard.getBeanNamesForAnnotation(LoadBalanced.class)).isEmpty();
				ConnectUpstreams upstreams = dashboard.getBean(ConnectUpstreams.class);
				WebClient counting = upstreams.webClient("counting");
				Set<String> answered = new HashSet<>();
				long deadline = System.nanoTime() + PROMPTLY.toNanos();
				while (answered.size() < 2 && System.nanoTime() < deadline) {
					String body = counting.get().uri("/whoami").retrieve().bodyToMono(String.class).block(PROMPTLY);
					answered.add(body.split(" ")[0]);
				}
				assertThat(answered).containsExactlyInAnyOrder(port(first), port(second));
				assertThatThrownBy(() -> upstreams.webClient("my_service")).isInstanceOf(IllegalArgumentException.class)
					.hasMessageStartingWith("'my_service' is not a service name a mesh call can address");
				assertThatThrownBy(() -> upstreams.webClient("counting/count"))
					.isInstanceOf(IllegalArgumentException.class)
					.hasMessageStartingWith("'counting/count' is not a service name");
			}
			finally {
				first.close();
				second.close();
			}
		}
	}

	@Test
	void aUsersInstanceListBuiltOnTheAgentsWinsAndAnInstanceTheAgentReportsForAnotherServiceIsLeftOut()
			throws Exception {
		try (TestMesh mesh = TestMesh.start()) {
			mesh.allow("dashboard", "*");
			ConfigurableApplicationContext first = counting(mesh);
			ConfigurableApplicationContext second = counting(mesh);
			ConfigurableApplicationContext billing = new SpringApplicationBuilder(Counting.class)
				.properties("server.port=0", "spring.application.name=billing", "connect.agent.url=" + mesh.agentUrl())
				.run();
			try (ConfigurableApplicationContext dashboard = new SpringApplicationBuilder(PickyDashboard.class)
				.properties("server.port=0", "spring.application.name=dashboard", "connect.agent.url=" + mesh.agentUrl(),
						"test.keep-port=" + port(first), "test.foreign-port=" + port(billing))
				.run()) {
				WebClient client = dashboard.getBean("meshWebClient", WebClient.Builder.class).build();
				// A WebClient.Builder without @LoadBalanced is untouched: plain HTTP to a host outside the mesh.
				String leader = dashboard.getBean("plainWebClient", WebClient.Builder.class).build().get()
					.uri(mesh.agentUrl() + "/v1/status/leader").retrieve().bodyToMono(String.class).block(PROMPTLY);
				assertThat(leader).contains("127.0.0.1");
				// Calling billing once makes the agent's report of billing's address known to the dashboard.
				String fromBilling = client.get().uri("http://billing/whoami").retrieve().bodyToMono(String.class)
					.block(PROMPTLY);
				assertThat(fromBilling).startsWith(port(billing) + " ");
				// The user's list for counting: the agent's instances, only the first one kept, plus billing's address.
				for (int i = 0; i < 8; i++) {
					assertThat(call(client).port()).isEqualTo(port(first));
				}
				assertThat(second.getBean(Counting.class).handled).as("requests the filtered-out instance received")
					.hasValue(0);
				assertThat(billing.getBean(Counting.class).handled).as("requests billing received").hasValue(1);
			}
			finally {
				first.close();
				second.close();
				billing.close();
			}
		}
	}

	@Test
	void callsKeepSucceedingWhileTheCallersLeafAndRootsRotate() throws Exception {
		try (TestMesh mesh = TestMesh.start(DevAgentSettings.defaults().withHttpPort(0)
			.withRootRotationJitter(Duration.ofSeconds(2)))) {
			mesh.allow("dashboard", "counting");
			ConfigurableApplicationContext counting = counting(mesh);
			try (ConfigurableApplicationContext dashboard = dashboard(mesh)) {
				WebClient client = dashboard.getBean(WebClient.Builder.class).build();
				CertificateSource own = dashboard.getBean(CertificateSource.class);
				String firstSerial = call(client).callerSerial();
				assertThat(firstSerial).isEqualTo(own.current().leaf().getSerialNumber().toString(16));
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
					HttpResponse<String> rotated = HttpClient.newHttpClient()
						.send(HttpRequest.newBuilder(URI.create(mesh.agentUrl() + "/v1/connect/ca/configuration"))
							.PUT(HttpRequest.BodyPublishers.ofString(
									"{\"Provider\":\"consul\",\"Config\":{\"PrivateKeyType\":\"ec\",\"PrivateKeyBits\":384}}"))
							.build(), HttpResponse.BodyHandlers.ofString());
					assertThat(rotated.statusCode()).isEqualTo(200);
					String renewed = awaitValue(() -> own.current().leaf().getSerialNumber().toString(16),
							(serial) -> !serial.equals(firstSerial), Duration.ofSeconds(35));
					assertThat(renewed).as("the dashboard got its re-issued leaf").isNotEqualTo(firstSerial);
					String seen = awaitValue(() -> call(client).callerSerial(), renewed::equals, PROMPTLY);
					assertThat(seen).as("counting sees the dashboard's re-issued leaf (pooled connections retired)")
						.isEqualTo(renewed);
					int before = ok.get();
					Thread.sleep(500);
					assertThat(ok.get()).as("calls kept flowing after the rotation").isGreaterThan(before);
				}
				finally {
					running.set(false);
					load.get();
				}
				assertThat(failures).as("failed calls during rotation").isEmpty();
			}
			finally {
				counting.close();
			}
		}
	}

	private static void register(TestMesh mesh, String registration) throws Exception {
		HttpResponse<String> registered = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(mesh.agentUrl() + "/v1/agent/service/register"))
				.PUT(HttpRequest.BodyPublishers.ofString(registration))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
	}

	private static <T> T awaitValue(java.util.function.Supplier<T> value, Predicate<T> condition, Duration timeout)
			throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		T current = value.get();
		while (!condition.test(current) && System.nanoTime() < deadline) {
			Thread.sleep(100);
			current = value.get();
		}
		return current;
	}

	/** Calls until the set of instances answering a few calls in a row satisfies the condition. */
	private static void awaitAnswers(WebClient client, Predicate<Set<String>> condition) throws InterruptedException {
		long deadline = System.nanoTime() + PROMPTLY.toNanos();
		Set<String> answers = new HashSet<>();
		while (System.nanoTime() < deadline) {
			answers.clear();
			for (int i = 0; i < 6; i++) {
				try {
					answers.add(call(client).port());
				}
				catch (RuntimeException ex) {
					answers.add("failed: " + ex);
				}
			}
			if (condition.test(answers)) {
				return;
			}
			Thread.sleep(50);
		}
		assertThat(condition.test(answers)).as("instances answering: %s", answers).isTrue();
	}

	private static Answer call(WebClient client) {
		String body = client.get().uri("http://counting/whoami").retrieve().bodyToMono(String.class).block(PROMPTLY);
		String[] parts = body.split(" ");
		return new Answer(parts[0], parts[1]);
	}

	private record Answer(String port, String callerSerial) {
	}

	private static String port(ConfigurableApplicationContext app) {
		return app.getEnvironment().getProperty("local.server.port");
	}

	private static ConfigurableApplicationContext counting(TestMesh mesh) {
		return counting(mesh, Duration.ZERO);
	}

	/** A counting instance that serves on for a while after it deregistered, as applications do by default. */
	private static ConfigurableApplicationContext counting(TestMesh mesh, Duration deregistrationDelay) {
		return new SpringApplicationBuilder(Counting.class)
			.properties("server.port=0", "spring.application.name=counting", "connect.agent.url=" + mesh.agentUrl(),
					"connect.registration.ttl=3s")
			.run("--connect.registration.deregistration-delay=" + deregistrationDelay.toMillis() + "ms");
	}

	private static ConfigurableApplicationContext dashboard(TestMesh mesh) {
		return new SpringApplicationBuilder(Dashboard.class)
			.properties("server.port=0", "spring.application.name=dashboard", "connect.agent.url=" + mesh.agentUrl())
			.run();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@ConnectService
	@Import(OwnReactorResources.class)
	static class Counting {

		final AtomicInteger handled = new AtomicInteger();

		@Bean
		RouterFunction<ServerResponse> routes(Environment environment) {
			return RouterFunctions.route().route((request) -> request.path().equals("/whoami"), (request) -> {
				this.handled.incrementAndGet();
				SslInfo ssl = request.exchange().getRequest().getSslInfo();
				X509Certificate caller = ssl.getPeerCertificates()[0];
				return ServerResponse.ok()
					.bodyValue(environment.getProperty("local.server.port") + " " + caller.getSerialNumber().toString(16));
			}).build();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(OwnReactorResources.class)
	static class PlainDashboard {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(OwnReactorResources.class)
	@LoadBalancerClient(name = "counting", configuration = PickyInstances.class)
	static class PickyDashboard {

		@Bean
		@LoadBalanced
		WebClient.Builder meshWebClient() {
			return WebClient.builder();
		}

		@Bean
		WebClient.Builder plainWebClient() {
			return WebClient.builder();
		}

	}

	/**
	 * A user's LoadBalancer configuration for 'counting': the agent's instances, keeping only the one on
	 * {@code test.keep-port}, plus an instance at {@code test.foreign-port} that the agent reports for another
	 * service.
	 */
	static class PickyInstances {

		@Bean
		ServiceInstanceListSupplier pickyInstances(ConfigurableApplicationContext context) {
			int keep = context.getEnvironment().getRequiredProperty("test.keep-port", Integer.class);
			int foreign = context.getEnvironment().getRequiredProperty("test.foreign-port", Integer.class);
			ServiceInstanceListSupplier agents = ConnectLoadBalancerConfiguration.agentInstances(context);
			ServiceInstance impostor = new DefaultServiceInstance("foreign", "counting", "127.0.0.1", foreign, true);
			return new DelegatingServiceInstanceListSupplier(agents) {

				@Override
				public Flux<List<ServiceInstance>> get() {
					return this.delegate.get().map((instances) -> {
						List<ServiceInstance> picked = new ArrayList<>();
						instances.stream().filter((instance) -> instance.getPort() == keep).forEach(picked::add);
						picked.add(impostor);
						return picked;
					});
				}

			};
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
