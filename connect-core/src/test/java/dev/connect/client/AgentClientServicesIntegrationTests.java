package dev.connect.client;

import java.time.Duration;
import java.util.Map;

import dev.connect.api.AgentService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The local agent's service endpoints a sidecar proxy reads its registration from, read strictly.
 */
class AgentClientServicesIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String PROXY = """
			{"Kind":"connect-proxy","ID":"web-sidecar-proxy","Service":"web-sidecar-proxy","Port":21000,
			 "Address":"","Tags":[],"Meta":{},"Datacenter":"dc1","ContentHash":"abc123",
			 "Proxy":{"DestinationServiceName":"web","DestinationServiceID":"web","LocalServicePort":8080,
			          "Config":{"handshake_timeout_ms":1000.0}}}""";

	private final CannedAgent agent = new CannedAgent();

	@AfterEach
	void stop() {
		this.agent.close();
	}

	@Test
	void servicesAreReadByInstanceId() {
		this.agent.answer("/v1/agent/services", 0, "{\"web-sidecar-proxy\":" + PROXY + "}");
		Map<String, AgentService> services = this.agent.client().services().block(TIMEOUT);
		assertThat(services).containsOnlyKeys("web-sidecar-proxy");
		AgentService proxy = services.get("web-sidecar-proxy");
		assertThat(proxy.kind()).isEqualTo("connect-proxy");
		assertThat(proxy.proxy().destinationServiceId()).isEqualTo("web");
		assertThat(proxy.proxy().config()).containsEntry("handshake_timeout_ms", 1000.0);
	}

	@Test
	void whenNoHashHeaderIsSentThenTheBodysContentHashIsKept() {
		this.agent.answer("/v1/agent/service/web-sidecar-proxy", 0, PROXY);
		AgentService proxy = this.agent.client().service("web-sidecar-proxy", null, Duration.ofSeconds(1))
			.block(TIMEOUT);
		assertThat(proxy.contentHash()).isEqualTo("abc123");
		assertThat(proxy.proxy().localServicePort()).isEqualTo(8080);
	}

	@Test
	void whenAServiceHasAPortThatIsNotAnIntegerThenTheAnswerIsRefused() {
		this.agent.answer("/v1/agent/service/web", 0, "{\"ID\":\"web\",\"Service\":\"web\",\"Port\":\"8080\"}");
		assertThatThrownBy(() -> this.agent.client().service("web", null, Duration.ofSeconds(1)).block(TIMEOUT))
			.isInstanceOf(AgentException.class)
			.hasMessageContaining("field 'Port' must be a JSON integer, not a string");
	}

	@Test
	void whenAnEntryOfTheServicesMapLacksItsIdThenTheAnswerIsRefused() {
		this.agent.answer("/v1/agent/services", 0, "{\"web\":{\"Service\":\"web\",\"Port\":1}}");
		assertThatThrownBy(() -> this.agent.client().services().block(TIMEOUT)).isInstanceOf(AgentException.class)
			.hasMessageContaining("field 'web.ID' is missing");
	}

}
