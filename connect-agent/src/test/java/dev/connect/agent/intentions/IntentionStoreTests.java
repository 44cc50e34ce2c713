package dev.connect.agent.intentions;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import dev.connect.agent.config.ConfigEntryStore;
import dev.connect.agent.index.ChangeIndex;
import dev.connect.agent.index.Topic;
import dev.connect.api.Intention;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IntentionStoreTests {

	private final ChangeIndex changes = new ChangeIndex(0);

	private final ConfigEntryStore entries = new ConfigEntryStore(this.changes);

	private final IntentionStore store = new IntentionStore(this.entries, this.changes, "deny", Clock.systemUTC(),
			UUID::randomUUID);

	@ParameterizedTest
	@CsvSource({ "web, db, 9", "*, db, 8", "web, *, 6", "*, *, 5" })
	void precedenceFollowsConsulsTable(String source, String destination, int precedence) {
		assertThat(this.store.upsert(source, destination, Intention.of(source, destination, "allow")).precedence())
			.isEqualTo(precedence);
	}

	@Test
	void mostSpecificIntentionDecidesAndTheDefaultPolicyDecidesWhenNoneMatches() {
		this.store.upsert("*", "*", Intention.of("*", "*", "allow"));
		this.store.upsert("*", "db", Intention.of("*", "db", "deny"));
		this.store.upsert("web", "db", Intention.of("web", "db", "allow"));
		assertThat(this.store.decide("web", "db").allowed()).isTrue();
		assertThat(this.store.decide("api", "db").allowed()).isFalse();
		assertThat(this.store.decide("api", "cache").allowed()).isTrue();
		assertThat(this.store.decide("web", "db").reason())
			.isEqualTo("Matched L4 intention: ALLOW default/web => default/db (ID: , Precedence: 9)");
		this.store.delete("*", "*");
		IntentionDecision fallback = this.store.decide("api", "cache");
		assertThat(fallback.allowed()).isFalse();
		assertThat(fallback.matched()).isNull();
		assertThat(fallback.reason()).isEqualTo("Default intention policy");
	}

	@Test
	void defaultAllowPolicyAllowsWhenNothingMatches() {
		IntentionStore allowing = new IntentionStore(this.entries, this.changes, "allow", Clock.systemUTC(),
				UUID::randomUUID);
		assertThat(allowing.decide("web", "db").allowed()).isTrue();
	}

	@Test
	void anL7IntentionDeniesConnectionLevelDecisions() {
		this.entries.apply(Map.of("Kind", "service-defaults", "Name", "db", "Protocol", "http"), null);
		Intention l7 = Intention.of("web", "db", "allow")
			.withAction(null, List.of(Map.of("Action", "allow", "HTTP", Map.of("PathPrefix", "/"))));
		Intention stored = this.store.upsert("web", "db", l7);
		assertThat(stored.permissions()).hasSize(1);
		IntentionDecision decision = this.store.decide("web", "db");
		assertThat(decision.allowed()).isFalse();
		assertThat(decision.reason()).startsWith("Matched L7 intention: ");
	}

	@Test
	void onePairHasOneIntentionAndUpsertKeepsItsCreateIndex() {
		Intention first = this.store.upsert("web", "db", Intention.of("web", "db", "allow"));
		Intention second = this.store.upsert("web", "db", Intention.of("web", "db", "deny"));
		assertThat(this.store.list().value()).containsExactly(second);
		assertThat(second.createIndex()).isEqualTo(first.createIndex());
		assertThat(second.modifyIndex()).isGreaterThan(first.modifyIndex())
			.isEqualTo(this.changes.index(Topic.INTENTIONS, ""));
	}

	@Test
	void listAndMatchFollowEvaluationOrder() {
		this.store.upsert("*", "*", Intention.of("*", "*", "deny"));
		this.store.upsert("web", "db", Intention.of("web", "db", "allow"));
		this.store.upsert("api", "db", Intention.of("api", "db", "allow"));
		this.store.upsert("*", "db", Intention.of("*", "db", "deny"));
		assertThat(this.store.list().value()).extracting(Intention::sourceName, Intention::destinationName)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("api", "db"), org.assertj.core.groups.Tuple.tuple("web", "db"),
					org.assertj.core.groups.Tuple.tuple("*", "db"), org.assertj.core.groups.Tuple.tuple("*", "*"));
		Map<String, List<Intention>> byDestination = this.store.match(true, List.of("db", "cache")).value();
		assertThat(byDestination.keySet()).containsExactly("db", "cache");
		assertThat(byDestination.get("db")).hasSize(4);
		assertThat(byDestination.get("cache")).extracting(Intention::sourceName).containsExactly("*");
		assertThat(this.store.match(false, List.of("web")).value().get("web")).extracting(Intention::destinationName)
			.containsExactly("db", "db", "*");
	}

	static Stream<Arguments> invalidIntentions() {
		return Stream.of(
				Arguments.of(Intention.of("we*b", "db", "allow"),
						"1 error occurred:\n\t* SourceName: wildcard character '*' cannot be used with partial values\n\n"),
				Arguments.of(Intention.of("web", "db", "permit"),
						"1 error occurred:\n\t* Action must be set to 'allow' or 'deny'\n\n"),
				Arguments.of(Intention.of("web", "db", "allow").withDescription("x".repeat(513)),
						"1 error occurred:\n\t* Description exceeds maximum length 512\n\n"),
				Arguments.of(Intention.of("web", "db", "deny").withSourceType("other"),
						"1 error occurred:\n\t* SourceType must be set to 'consul'\n\n"),
				Arguments.of(Intention.of("", "d*", ""),
						"3 errors occurred:\n\t* SourceName must be set\n\t* DestinationName: wildcard character '*' "
								+ "cannot be used with partial values\n\t* Action must be set to 'allow' or 'deny'\n\n"));
	}

	@ParameterizedTest
	@MethodSource("invalidIntentions")
	void invalidLegacyIntentionIsRefusedWithConsulsMessagesAndChangesNothing(Intention request, String message) {
		long before = this.changes.index(Topic.INTENTIONS, "");
		assertThatThrownBy(() -> this.store.create(request)).isInstanceOf(InvalidIntentionException.class)
			.hasMessage(message);
		assertThat(this.store.list().value()).isEmpty();
		assertThat(this.changes.index(Topic.INTENTIONS, "")).isEqualTo(before);
	}

	static Stream<Arguments> scopedIntentions() {
		return Stream.of(
				Arguments.of(scoped("default", "part1", "default", null, null),
						"Invalid source partition \"part1\": Partitions is a Consul Enterprise feature"),
				Arguments.of(scoped("team", null, "default", null, null),
						"Invalid source namespace \"team\": Namespaces is a Consul Enterprise feature"),
				Arguments.of(scoped("default", null, "default", "part1", null),
						"Invalid destination partition \"part1\": Partitions is a Consul Enterprise feature"),
				Arguments.of(scoped("default", null, "team", null, null),
						"Invalid destination namespace \"team\": Namespaces is a Consul Enterprise feature"),
				Arguments.of(scoped("default", null, "default", null, "other-cluster"),
						"SourcePeer field is not supported on this endpoint. Use config entries instead"));
	}

	private static Intention scoped(String sourceNs, String sourcePartition, String destinationNs,
			String destinationPartition, String sourcePeer) {
		return Intention.of("web", "db", "allow")
			.withSource(sourceNs, "web")
			.withDestination(destinationNs, "db")
			.withScope(sourcePartition, destinationPartition, sourcePeer);
	}

	@ParameterizedTest
	@MethodSource("scopedIntentions")
	void intentionScopedElsewhereIsRefusedRatherThanStoredAsTheLocalName(Intention request, String message) {
		assertThatThrownBy(() -> this.store.create(request)).hasMessage("1 error occurred:\n\t* " + message + "\n\n");
		assertThatThrownBy(() -> this.store.upsert("web", "db", request))
			.hasMessage("1 error occurred:\n\t* " + message + "\n\n");
		assertThat(this.store.list().value()).isEmpty();
		assertThat(this.store.decide("web", "db").allowed()).isFalse();
	}

	@Test
	void legacyApiRefusesASecondIntentionForThePairAndUpdatesById() {
		String id = this.store.create(Intention.of("web", "db", "allow"));
		assertThat(this.store.byId(id)).get().satisfies((intention) -> {
			assertThat(intention.createdAt()).isNotNull();
			assertThat(intention.precedence()).isEqualTo(9);
		});
		assertThatThrownBy(() -> this.store.create(Intention.of("web", "db", "deny")))
			.hasMessageStartingWith("1 error occurred:\n\t* duplicate intention found: ALLOW default/web => default/db (ID: "
					+ id);
		this.store.update(id, Intention.of("web", "db", "deny"));
		assertThat(this.store.decide("web", "db").allowed()).isFalse();
		this.store.deleteById(id);
		assertThat(this.store.list().value()).isEmpty();
	}

	@Test
	void metaIsRefusedOnTheExactApi() {
		Intention withMeta = Intention.of("web", "db", "allow").withMeta(Map.of("team", "a"));
		assertThatThrownBy(() -> this.store.upsert("web", "db", withMeta))
			.hasMessage("1 error occurred:\n\t* Meta must not be specified\n\n");
	}

}
