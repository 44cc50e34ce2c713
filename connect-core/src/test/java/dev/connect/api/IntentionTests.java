package dev.connect.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class IntentionTests {

	private static final Instant CREATED = Instant.parse("2024-01-02T03:04:05Z");

	private static final Instant UPDATED = Instant.parse("2024-01-02T03:04:06Z");

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void withMethodsChangeOnlyTheirOwnFields() {
		List<Map<String, Object>> permissions = List.of(Map.of("Action", "allow"));
		Intention intention = Intention.of("web", "db", "allow")
			.withId("id-1")
			.withDescription("about")
			.withSource("src-ns", "api")
			.withDestination("dst-ns", "cache")
			.withScope("part-a", "part-b", "peer-1")
			.withSourceType("other")
			.withAction(null, permissions)
			.withMeta(Map.of("team", "a"))
			.withPrecedence(8)
			.withTimestamps(CREATED, UPDATED)
			.withIndexes(3, 4);
		assertThat(intention).isEqualTo(new Intention("id-1", "about", "src-ns", "api", "dst-ns", "cache", "part-a",
				"part-b", "peer-1", "other", null, permissions, Map.of("team", "a"), 8, CREATED, UPDATED, 3, 4));
	}

	@Test
	void withMethodsLeaveTheOriginalAsItWas() {
		Intention original = Intention.of("web", "db", "allow");
		original.withId("id-1").withIndexes(3, 4).withAction("deny", null);
		assertThat(original).isEqualTo(Intention.of("web", "db", "allow"));
	}

	@Test
	void anExactApiIntentionLeavesOutWhatConsulOmitsWhenEmpty() {
		assertThat(this.json.writeValueAsString(Intention.of("web", "db", "allow").withIndexes(3, 4)))
			.isEqualTo("{\"Description\":\"\",\"SourceNS\":\"default\",\"SourceName\":\"web\",\"DestinationNS\":"
					+ "\"default\",\"DestinationName\":\"db\",\"SourceType\":\"consul\",\"Action\":\"allow\","
					+ "\"Precedence\":0,\"CreateIndex\":3,\"ModifyIndex\":4}");
	}

	@Test
	void aLegacyIntentionWritesEveryField() {
		Intention intention = Intention.of("web", "db", "allow")
			.withId("id-1")
			.withScope("part-a", "part-b", "peer-1")
			.withMeta(Map.of("team", "a"))
			.withPrecedence(9)
			.withTimestamps(CREATED, UPDATED)
			.withIndexes(3, 4);
		assertThat(this.json.writeValueAsString(intention))
			.isEqualTo("{\"ID\":\"id-1\",\"Description\":\"\",\"SourceNS\":\"default\",\"SourceName\":\"web\","
					+ "\"DestinationNS\":\"default\",\"DestinationName\":\"db\",\"SourcePartition\":\"part-a\","
					+ "\"DestinationPartition\":\"part-b\",\"SourcePeer\":\"peer-1\",\"SourceType\":\"consul\","
					+ "\"Action\":\"allow\",\"Meta\":{\"team\":\"a\"},\"Precedence\":9,"
					+ "\"CreatedAt\":\"2024-01-02T03:04:05Z\",\"UpdatedAt\":\"2024-01-02T03:04:06Z\","
					+ "\"CreateIndex\":3,\"ModifyIndex\":4}");
	}

}
