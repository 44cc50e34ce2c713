package dev.connect.agent.http;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Names qualified with a peer, a partition or a namespace other than {@code default} are never folded into a local
 * name: they are refused with Consul CE's answer, or (a peer in the source of an exact read) match nothing here.
 */
class IntentionNamesIntegrationTests {

	private static final String PEER_SOURCE = "peer:other-cluster/web";

	private static DevAgent agent;

	private final AgentHttp http = new AgentHttp(agent);

	@BeforeAll
	static void startAgent() {
		agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0));
	}

	@AfterAll
	static void stopAgent() {
		agent.close();
	}

	@BeforeEach
	void deleteEveryIntention() {
		AgentHttp.json(this.http.get("/v1/connect/intentions")).forEach((intention) -> this.http.send("DELETE",
				exact(intention.get("SourceName").asString(), intention.get("DestinationName").asString()), null));
		assertThat(this.http.get("/v1/connect/intentions").body()).isEqualTo("[]\n");
	}

	@Test
	void whenAnAllowNamesAPeerSourceThenItIsRefusedAndTheLocalServiceStaysDenied() {
		HttpResponse<String> put = this.http.put(exact(PEER_SOURCE, "api"), "{\"Action\":\"allow\"}");
		assertThat(put.statusCode()).isEqualTo(500);
		assertThat(put.body()).isEqualTo("source \"peer:other-cluster/web\" is invalid: cannot specify a peer here");
		assertThat(this.http.get("/v1/connect/intentions").body()).isEqualTo("[]\n");
		assertThat(allowed("web", "api")).isFalse();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"peer:other-cluster/web | api | source \"peer:other-cluster/web\" is invalid: cannot specify a peer here",
			"peer:other-cluster/team/web | api | source \"peer:other-cluster/team/web\" is invalid: cannot specify a peer here",
			"peer:other-cluster | api | source \"peer:other-cluster\" is invalid: cannot specify a peer here",
			"web | peer:other-cluster/api | destination \"peer:other-cluster/api\" is invalid: cannot specify a peer here",
			"part1/default/web | api | Invalid source partition \"part1\": Partitions is a Consul Enterprise feature",
			"web | part1/default/api | Invalid destination partition \"part1\": Partitions is a Consul Enterprise feature",
			"team/web | api | Invalid source namespace \"team\": Namespaces is a Consul Enterprise feature",
			"web | team/api | Invalid destination namespace \"team\": Namespaces is a Consul Enterprise feature" })
	void exactWritesOfAQualifiedNameAreRefusedAndChangeNothing(String source, String destination, String message) {
		this.http.put(exact("web", "api"), "{\"Action\":\"deny\"}");
		String before = this.http.get("/v1/connect/intentions").body();
		HttpResponse<String> put = this.http.put(exact(source, destination), "{\"Action\":\"allow\"}");
		assertThat(put.statusCode()).isEqualTo(500);
		assertThat(put.body()).isEqualTo(message);
		HttpResponse<String> delete = this.http.send("DELETE", exact(source, destination), null);
		assertThat(delete.statusCode()).isEqualTo(500);
		assertThat(delete.body()).isEqualTo(message);
		assertThat(this.http.get("/v1/connect/intentions").body()).isEqualTo(before);
		assertThat(allowed("web", "api")).isFalse();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"peer:other-cluster/web | api | 404 | Intention not found",
			"peer:other-cluster | api | 500 | source \"peer:other-cluster\" is invalid: need to specify the service name as well",
			"web | peer:other-cluster/api | 500 | destination \"peer:other-cluster/api\" is invalid: cannot specify a peer here",
			"part1/default/web | api | 500 | Invalid source partition \"part1\": Partitions is a Consul Enterprise feature",
			"team/web | api | 500 | Invalid SourceNS \"team\": Namespaces is a Consul Enterprise feature",
			"web | team/api | 500 | Invalid DestinationNS \"team\": Namespaces is a Consul Enterprise feature" })
	void exactReadOfAQualifiedNameNeverFindsTheLocalIntention(String source, String destination, int status,
			String message) {
		this.http.put(exact("web", "api"), "{\"Action\":\"allow\"}");
		HttpResponse<String> get = this.http.get(exact(source, destination));
		assertThat(get.statusCode()).isEqualTo(status);
		assertThat(get.body()).isEqualTo(message);
	}

	@Test
	void theDefaultNamespaceAndPartitionSpelledOutNameTheLocalService() {
		this.http.put(exact("default/web", "default/default/api"), "{\"Action\":\"allow\"}");
		JsonNode intention = AgentHttp.json(this.http.get(exact("default/default/web", "default/api")));
		assertThat(intention.get("SourceName").asString()).isEqualTo("web");
		assertThat(intention.get("DestinationName").asString()).isEqualTo("api");
		assertThat(allowed("default/web", "default/api")).isTrue();
		JsonNode matches = AgentHttp.json(this.http.get("/v1/connect/intentions/match?by=destination&name=default/api"));
		assertThat(matches.propertyNames()).containsExactly("default/api");
		assertThat(matches.get("default/api")).hasSize(1);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"team/web | api | Invalid source namespace \"team\": Namespaces is a Consul Enterprise feature",
			"web | team/api | Invalid destination namespace \"team\": Namespaces is a Consul Enterprise feature",
			"part1/default/web | api | Invalid source partition \"part1\": Partitions is a Consul Enterprise feature",
			"web | part1/default/api | Invalid destination partition \"part1\": Partitions is a Consul Enterprise feature",
			"peer:other-cluster/web | api | source \"peer:other-cluster/web\" is invalid: cannot specify a peer here",
			"web | peer:other-cluster/api | destination \"peer:other-cluster/api\" is invalid: cannot specify a peer here" })
	void checkOfAQualifiedNameIsRefusedInsteadOfAnsweringForTheLocalService(String source, String destination,
			String message) {
		this.http.put(exact("web", "api"), "{\"Action\":\"allow\"}");
		HttpResponse<String> check = this.http.get("/v1/connect/intentions/check?source=" + encode(source)
				+ "&destination=" + encode(destination));
		assertThat(check.statusCode()).isEqualTo(500);
		assertThat(check.body()).isEqualTo(message);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"destination | team/api | Invalid match entry namespace \"team\": Namespaces is a Consul Enterprise feature",
			"source | part1/default/web | Invalid match entry partition \"part1\": Partitions is a Consul Enterprise feature",
			"source | peer:other-cluster/web | name \"peer:other-cluster/web\" is invalid: cannot specify a peer here" })
	void matchOfAQualifiedNameIsRefused(String by, String name, String message) {
		this.http.put(exact("*", "api"), "{\"Action\":\"deny\"}");
		HttpResponse<String> match = this.http.get("/v1/connect/intentions/match?by=" + by + "&name=api&name="
				+ encode(name));
		assertThat(match.statusCode()).isEqualTo(500);
		assertThat(match.body()).isEqualTo(message);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"SourcePartition | part1 | 400 | Cannot specify a source partition with this endpoint | 400 | Cannot specify a source partition with this endpoint",
			"DestinationPartition | part1 | 400 | Cannot specify a destination partition with this endpoint | 400 | Cannot specify a destination partition with this endpoint",
			"SourceNS | team | 400 | Bad request: Invalid SourceNS(team): Namespaces is a Consul Enterprise feature | 500 | Invalid source namespace \"team\": Namespaces is a Consul Enterprise feature",
			"DestinationNS | team | 400 | Bad request: Invalid DestinationNS(team): Namespaces is a Consul Enterprise feature | 500 | Invalid destination namespace \"team\": Namespaces is a Consul Enterprise feature",
			"SourcePeer | other-cluster | 500 | SourcePeer field is not supported on this endpoint. Use config entries instead | 500 | SourcePeer field is not supported on this endpoint. Use config entries instead" })
	void legacyWritesOfAQualifiedNameAreRefusedAndChangeNothing(String field, String value, int createStatus,
			String createMessage, int updateStatus, String updateMessage) {
		String body = "{\"SourceName\":\"web\",\"DestinationName\":\"api\",\"Action\":\"allow\",\"" + field + "\":\""
				+ value + "\"}";
		HttpResponse<String> created = this.http.send("POST", "/v1/connect/intentions", body);
		assertThat(created.statusCode()).isEqualTo(createStatus);
		assertThat(created.body()).isEqualTo(createMessage);
		String id = AgentHttp.json(this.http.send("POST", "/v1/connect/intentions",
				"{\"SourceName\":\"web\",\"DestinationName\":\"api\",\"Action\":\"deny\"}")).get("ID").asString();
		HttpResponse<String> updated = this.http.put("/v1/connect/intentions/" + id, body);
		assertThat(updated.statusCode()).isEqualTo(updateStatus);
		assertThat(updated.body()).isEqualTo(updateMessage);
		assertThat(AgentHttp.json(this.http.get("/v1/connect/intentions"))).hasSize(1);
		assertThat(allowed("web", "api")).isFalse();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"peer:other-cluster/web | api | source \"peer:other-cluster/web\" is invalid: cannot specify a peer here",
			"part1/default/web | api | Invalid source partition \"part1\": Partitions is a Consul Enterprise feature",
			"team/web | api | Invalid source namespace \"team\": Namespaces is a Consul Enterprise feature",
			"web | peer:other-cluster/api | destination \"peer:other-cluster/api\" is invalid: cannot specify a peer here",
			"web | part1/team/api | Invalid destination partition \"part1\": Partitions is a Consul Enterprise feature" })
	void legacyWritesOfAQualifiedSourceOrDestinationNameAreRefusedAsTheExactEndpointRefusesThem(String source,
			String destination, String message) {
		String body = "{\"SourceName\":\"" + source + "\",\"DestinationName\":\"" + destination
				+ "\",\"Action\":\"allow\"}";
		HttpResponse<String> created = this.http.send("POST", "/v1/connect/intentions", body);
		assertThat(created.statusCode()).isEqualTo(500);
		assertThat(created.body()).isEqualTo(message);
		String id = AgentHttp.json(this.http.send("POST", "/v1/connect/intentions",
				"{\"SourceName\":\"web\",\"DestinationName\":\"api\",\"Action\":\"deny\"}")).get("ID").asString();
		HttpResponse<String> updated = this.http.put("/v1/connect/intentions/" + id, body);
		assertThat(updated.statusCode()).isEqualTo(500);
		assertThat(updated.body()).isEqualTo(message);
		assertThat(AgentHttp.json(this.http.get("/v1/connect/intentions"))).extracting(
				(intention) -> intention.get("SourceName").asString() + " => " + intention.get("DestinationName").asString())
			.containsExactly("web => api");
		assertThat(allowed("web", "api")).isFalse();
	}

	@Test
	void aLegacyWriteOfTheDefaultNamespaceSpelledOutNamesTheLocalService() {
		assertThat(this.http.send("POST", "/v1/connect/intentions",
				"{\"SourceName\":\"default/web\",\"DestinationName\":\"default/default/api\",\"Action\":\"allow\"}")
			.statusCode()).isEqualTo(200);
		assertThat(allowed("web", "api")).isTrue();
	}

	private boolean allowed(String source, String destination) {
		HttpResponse<String> check = this.http.get("/v1/connect/intentions/check?source=" + encode(source)
				+ "&destination=" + encode(destination));
		assertThat(check.statusCode()).as(check.body()).isEqualTo(200);
		return AgentHttp.json(check).get("Allowed").asBoolean();
	}

	private static String exact(String source, String destination) {
		return "/v1/connect/intentions/exact?source=" + encode(source) + "&destination=" + encode(destination);
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
