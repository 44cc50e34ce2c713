package dev.connect.agent.clients;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client nobody here wrote, against the dev agent: a Spring Boot application with Spring Cloud Consul Discovery
 * registers itself with a TTL check that its heartbeat keeps passing, finds services registered through the agent
 * API and through the catalog API with {@link DiscoveryClient#getInstances}, and deregisters when it closes.
 */
class SpringCloudConsulDiscoveryIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	private DevAgent agent;

	@BeforeEach
	void startAgent() throws Exception {
		this.agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0));
		send("PUT", "/v1/agent/service/register", """
				{"ID":"billing-1","Name":"billing","Address":"127.0.0.1","Port":9001,"Tags":["v1"],
				 "Check":{"TTL":"10m","Status":"passing"}}""");
		send("PUT", "/v1/catalog/register", """
				{"Node":"legacy-node","Address":"10.0.0.9","Service":{"ID":"billing-legacy","Service":"billing","Port":9002},
				 "Check":{"Name":"legacy billing","ServiceID":"billing-legacy","Status":"passing"}}""");
	}

	@AfterEach
	void stopAgent() {
		this.agent.close();
	}

	@Test
	void aBootApplicationRegistersWithAHeartbeatDiscoversServicesAndDeregistersOnClose() throws Exception {
		try (ConfigurableApplicationContext shop = shopApplication()) {
			int port = ((WebServerApplicationContext) shop).getWebServer().getPort();
			JsonNode registered = json(send("GET", "/v1/agent/service/shop-1", ""));
			assertThat(registered.get("Service").asString()).isEqualTo("shop");
			assertThat(registered.get("Port").asInt()).isEqualTo(port);
			assertThat(eventually(() -> json(send("GET", "/v1/agent/checks", "")).path("service:shop-1")
				.path("Status")
				.asString(""), "passing")).isEqualTo("passing");
			DiscoveryClient discovery = shop.getBean(DiscoveryClient.class);
			List<ServiceInstance> billing = discovery.getInstances("billing");
			assertThat(billing).extracting((instance) -> instance.getHost() + ":" + instance.getPort())
				.containsExactlyInAnyOrder("127.0.0.1:9001", "10.0.0.9:9002");
			assertThat(discovery.getServices()).contains("billing", "shop");
			assertThat(discovery.getInstances("shop")).extracting(ServiceInstance::getPort).containsExactly(port);
		}
		assertThat(json(send("GET", "/v1/agent/services", "")).propertyNames()).containsExactly("billing-1");
	}

	private ConfigurableApplicationContext shopApplication() {
		return new SpringApplicationBuilder(ShopApplication.class).properties("spring.application.name=shop",
				"spring.main.banner-mode=off", "server.address=127.0.0.1", "server.port=0",
				"spring.cloud.consul.host=127.0.0.1", "spring.cloud.consul.port=" + this.agent.address().getPort(),
				"spring.cloud.consul.discovery.instance-id=shop-1", "spring.cloud.consul.discovery.prefer-ip-address=true",
				"spring.cloud.consul.discovery.ip-address=127.0.0.1", "spring.cloud.consul.discovery.heartbeat.enabled=true",
				"spring.cloud.consul.discovery.heartbeat.ttl=10s")
			.run();
	}

	private String eventually(java.util.concurrent.Callable<String> read, String expected) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		String value = read.call();
		while (!value.equals(expected) && System.nanoTime() < deadline) {
			Thread.sleep(100);
			value = read.call();
		}
		return value;
	}

	private HttpResponse<String> send(String method, String path, String body) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.agent.httpAddress() + path))
			.timeout(Duration.ofSeconds(30))
			.method(method, HttpRequest.BodyPublishers.ofString(body))
			.build();
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(200);
		return response;
	}

	private static JsonNode json(HttpResponse<String> response) {
		return JSON.readTree(response.body());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ShopApplication {

	}

}
