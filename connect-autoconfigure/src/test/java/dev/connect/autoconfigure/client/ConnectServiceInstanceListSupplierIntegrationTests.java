package dev.connect.autoconfigure.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.client.AgentClient;
import dev.connect.client.AgentClientSettings;
import dev.connect.mesh.UpstreamAddressBook;
import dev.connect.mesh.UpstreamIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.ServiceInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upstream instance list against a real dev agent: which registrations count as instances of a service (as
 * Consul's {@code /v1/health/connect} defines them), the address and port each one is called on, and the address
 * book the mesh connector checks identities against.
 */
class ConnectServiceInstanceListSupplierIntegrationTests {

	private static final Duration PROMPTLY = Duration.ofSeconds(10);

	private DevAgent agent;

	private final UpstreamAddressBook upstreams = new UpstreamAddressBook();

	private ConnectServiceInstanceListSupplier supplier;

	@BeforeEach
	void start() {
		this.agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0));
		AgentClient client = AgentClient
			.create(AgentClientSettings.defaults().withAddress(URI.create(this.agent.httpAddress())));
		this.supplier = new ConnectServiceInstanceListSupplier("counting", client, this.upstreams);
	}

	@AfterEach
	void stop() {
		this.supplier.destroy();
		this.agent.close();
	}

	@Test
	void connectNativeInstancesAndSidecarProxiesCountButPlainInstancesDoNot() throws Exception {
		put("/v1/agent/service/register", "{\"ID\":\"counting-native\",\"Name\":\"counting\",\"Address\":\"127.0.0.2\","
				+ "\"Port\":9001,\"Meta\":{\"version\":\"2\"},\"Connect\":{\"Native\":true}}");
		put("/v1/agent/service/register",
				"{\"ID\":\"counting-plain\",\"Name\":\"counting\",\"Address\":\"127.0.0.3\",\"Port\":9002}");
		put("/v1/agent/service/register", "{\"ID\":\"counting-proxy\",\"Kind\":\"connect-proxy\","
				+ "\"Name\":\"counting-sidecar-proxy\",\"Port\":21000,\"Proxy\":{\"DestinationServiceName\":\"counting\"}}");
		put("/v1/agent/service/register", "{\"ID\":\"billing-native\",\"Name\":\"billing\",\"Address\":\"127.0.0.4\","
				+ "\"Port\":9003,\"Connect\":{\"Native\":true}}");

		List<ServiceInstance> instances = await((list) -> list.size() == 2);

		assertThat(instances).extracting(ServiceInstance::getInstanceId)
			.containsExactlyInAnyOrder("counting-native", "counting-proxy");
		assertThat(instances).allSatisfy((instance) -> {
			assertThat(instance.getServiceId()).isEqualTo("counting");
			assertThat(instance.isSecure()).isTrue();
			assertThat(instance.getUri().getScheme()).isEqualTo("https");
		});
		ServiceInstance nativeInstance = byId(instances, "counting-native");
		assertThat(nativeInstance.getHost()).as("the service address").isEqualTo("127.0.0.2");
		assertThat(nativeInstance.getPort()).isEqualTo(9001);
		assertThat(nativeInstance.getMetadata()).containsEntry("version", "2");
		ServiceInstance proxy = byId(instances, "counting-proxy");
		assertThat(proxy.getHost()).as("no service address: the node's").isEqualTo("127.0.0.1");
		assertThat(proxy.getPort()).as("the proxy's own port").isEqualTo(21000);

		assertThat(this.upstreams.expectedAt("127.0.0.2", 9001)).isEqualTo(UpstreamIdentity.of("dc1", "counting"));
		assertThat(this.upstreams.expectedAt("127.0.0.1", 21000)).isEqualTo(UpstreamIdentity.of("dc1", "counting"));
		assertThat(this.upstreams.expectedAt("127.0.0.3", 9002)).as("not a mesh instance").isNull();
		assertThat(this.upstreams.expectedAt("127.0.0.4", 9003)).as("another service").isNull();
	}

	@Test
	void anInstanceJoinsWhenItsCheckPassesAndLeavesWhenItFailsOrDeregisters() throws Exception {
		put("/v1/agent/service/register", "{\"ID\":\"counting-1\",\"Name\":\"counting\",\"Address\":\"127.0.0.2\","
				+ "\"Port\":9001,\"Connect\":{\"Native\":true},\"Check\":{\"TTL\":\"30s\"}}");
		put("/v1/agent/service/register", "{\"ID\":\"counting-2\",\"Name\":\"counting\",\"Address\":\"127.0.0.2\","
				+ "\"Port\":9002,\"Connect\":{\"Native\":true}}");
		assertThat(await((list) -> list.size() == 1)).extracting(ServiceInstance::getInstanceId)
			.as("a TTL check starts critical").containsExactly("counting-2");
		assertThat(this.upstreams.expectedAt("127.0.0.2", 9001)).isNull();

		put("/v1/agent/check/pass/service:counting-1", "");
		assertThat(await((list) -> list.size() == 2)).extracting(ServiceInstance::getInstanceId)
			.containsExactlyInAnyOrder("counting-1", "counting-2");
		assertThat(this.upstreams.expectedAt("127.0.0.2", 9001)).isEqualTo(UpstreamIdentity.of("dc1", "counting"));

		put("/v1/agent/check/fail/service:counting-1", "");
		assertThat(await((list) -> list.size() == 1)).extracting(ServiceInstance::getInstanceId)
			.containsExactly("counting-2");
		assertThat(this.upstreams.expectedAt("127.0.0.2", 9001)).as("forgotten once it failed").isNull();

		put("/v1/agent/service/deregister/counting-2", "");
		assertThat(await(List::isEmpty)).isEmpty();
		assertThat(this.upstreams.expectedAt("127.0.0.2", 9002)).as("forgotten once it left").isNull();
	}

	@Test
	void everySubscriberFirstGetsTheLatestListAndCancellingOneKeepsTheWatch() throws Exception {
		put("/v1/agent/service/register", "{\"ID\":\"counting-1\",\"Name\":\"counting\",\"Address\":\"127.0.0.2\","
				+ "\"Port\":9001,\"Connect\":{\"Native\":true}}");
		await((list) -> list.size() == 1);
		// The load balancer takes the first list of each call and cancels: that must not stop the watch.
		for (int i = 0; i < 3; i++) {
			assertThat(this.supplier.get().blockFirst(PROMPTLY)).hasSize(1);
		}
		put("/v1/agent/service/register", "{\"ID\":\"counting-2\",\"Name\":\"counting\",\"Address\":\"127.0.0.2\","
				+ "\"Port\":9002,\"Connect\":{\"Native\":true}}");
		assertThat(await((list) -> list.size() == 2)).hasSize(2);
		assertThat(this.upstreams.expectedAt("127.0.0.2", 9002)).isEqualTo(UpstreamIdentity.of("dc1", "counting"));
	}

	@Test
	void anAddressTwoServicesAreRegisteredAtIsExpectedForNeitherUntilOneLeaves() throws Exception {
		AgentClient client = AgentClient
			.create(AgentClientSettings.defaults().withAddress(URI.create(this.agent.httpAddress())));
		ConnectServiceInstanceListSupplier billing = new ConnectServiceInstanceListSupplier("billing", client,
				this.upstreams);
		try {
			put("/v1/agent/service/register", "{\"ID\":\"counting-1\",\"Name\":\"counting\",\"Address\":\"127.0.0.2\","
					+ "\"Port\":9001,\"Connect\":{\"Native\":true}}");
			await((list) -> list.size() == 1);
			assertThat(this.upstreams.expectedAt("127.0.0.2", 9001)).isEqualTo(UpstreamIdentity.of("dc1", "counting"));
			// The port taken by billing while counting is still registered there, as when a port is reused.
			put("/v1/agent/service/register", "{\"ID\":\"billing-1\",\"Name\":\"billing\",\"Address\":\"127.0.0.2\","
					+ "\"Port\":9001,\"Connect\":{\"Native\":true}}");
			await(billing, (list) -> list.size() == 1);
			assertThat(this.upstreams.expectedAt("127.0.0.2", 9001)).as("either service could answer there").isNull();
			put("/v1/agent/service/deregister/counting-1", "");
			await(List::isEmpty);
			assertThat(this.upstreams.expectedAt("127.0.0.2", 9001)).as("counting left; billing stays")
				.isEqualTo(UpstreamIdentity.of("dc1", "billing"));
		}
		finally {
			billing.destroy();
		}
	}

	@Test
	void theExpectedIdentityCarriesTheDatacenterOfTheInstancesNodeAsTheAgentReportsIt() throws Exception {
		this.supplier.destroy();
		this.agent.close();
		this.agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0).withDatacenter("eu-west"));
		AgentClient client = AgentClient
			.create(AgentClientSettings.defaults().withAddress(URI.create(this.agent.httpAddress())));
		this.supplier = new ConnectServiceInstanceListSupplier("counting", client, this.upstreams);
		put("/v1/agent/service/register", "{\"ID\":\"counting-1\",\"Name\":\"counting\",\"Address\":\"127.0.0.2\","
				+ "\"Port\":9001,\"Connect\":{\"Native\":true}}");
		await((list) -> list.size() == 1);
		assertThat(this.upstreams.expectedAt("127.0.0.2", 9001)).isEqualTo(UpstreamIdentity.of("eu-west", "counting"))
			.hasToString("/ns/default/dc/eu-west/svc/counting");
	}

	private List<ServiceInstance> await(Predicate<List<ServiceInstance>> condition) throws InterruptedException {
		return await(this.supplier, condition);
	}

	private static List<ServiceInstance> await(ConnectServiceInstanceListSupplier supplier,
			Predicate<List<ServiceInstance>> condition) throws InterruptedException {
		long deadline = System.nanoTime() + PROMPTLY.toNanos();
		List<ServiceInstance> current = supplier.get().blockFirst(PROMPTLY);
		while (!condition.test(current) && System.nanoTime() < deadline) {
			Thread.sleep(20);
			current = supplier.get().blockFirst(PROMPTLY);
		}
		assertThat(condition.test(current)).as("instances: %s", current).isTrue();
		return current;
	}

	private static ServiceInstance byId(List<ServiceInstance> instances, String id) {
		return instances.stream().filter((instance) -> instance.getInstanceId().equals(id)).findFirst().orElseThrow();
	}

	private void put(String path, String body) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.agent.httpAddress() + path))
				.PUT(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("%s: %s", path, response.body()).isEqualTo(200);
	}

}
