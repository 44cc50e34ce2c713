package dev.connect.agent.catalog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.stream.Collectors;

import dev.connect.agent.index.ChangeIndex;
import dev.connect.api.ServiceRegistration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TTL checks expiring on the catalog's tick, with a clock the test moves.
 */
class CatalogTtlTests {

	private static final JsonMapper JSON = JsonMapper.builder()
		.disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.build();

	private Instant now = Instant.parse("2026-11-25T00:00:00Z");

	private final Clock clock = new Clock() {

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return CatalogTtlTests.this.now;
		}

	};

	private final ChangeIndex changes = new ChangeIndex(0);

	private final Catalog catalog = new Catalog(this.changes, this.clock, new Catalog.NodeInfo("node-id", "node", "127.0.0.1", "dc1"));

	@Test
	void thousandsOfChecksExpiringTogetherTurnCriticalInOneChange() {
		for (int i = 0; i < 3_000; i++) {
			register("svc-" + i, (i % 2 == 0) ? "30s" : "5m");
		}
		this.now = this.now.plus(Duration.ofSeconds(31));
		long before = this.changes.last();
		this.catalog.tick();
		assertThat(this.changes.last()).as("one new index for every check that expired together").isEqualTo(before + 1);
		Set<String> critical = this.catalog.checks().values().stream()
			.filter((check) -> CheckState.CRITICAL.equals(check.status()))
			.map(CheckState::serviceId)
			.collect(Collectors.toSet());
		assertThat(critical).hasSize(1_500).allMatch((id) -> Integer.parseInt(id.substring(4)) % 2 == 0);
		assertThat(this.catalog.checks().values()).filteredOn((check) -> CheckState.CRITICAL.equals(check.status()))
			.allMatch((check) -> check.modifyIndex() == before + 1 && check.output().equals("TTL expired"));
		this.catalog.tick();
		assertThat(this.changes.last()).as("nothing left to expire: no change").isEqualTo(before + 1);
	}

	@Test
	void aCheckUpdatedInTimeStaysPassing() {
		register("web", "30s");
		this.now = this.now.plus(Duration.ofSeconds(20));
		this.catalog.updateTtl("web-ttl", CheckState.PASSING, "ok");
		this.now = this.now.plus(Duration.ofSeconds(20));
		this.catalog.tick();
		assertThat(this.catalog.checks().get("web-ttl").status()).isEqualTo(CheckState.PASSING);
		this.now = this.now.plus(Duration.ofSeconds(11));
		this.catalog.tick();
		assertThat(this.catalog.checks().get("web-ttl").status()).isEqualTo(CheckState.CRITICAL);
	}

	private void register(String id, String ttl) {
		ServiceRegistration registration = JSON.readValue("{\"ID\":\"" + id + "\",\"Name\":\"" + id + "\",\"Port\":80,"
				+ "\"Check\":{\"CheckID\":\"" + id + "-ttl\",\"TTL\":\"" + ttl + "\",\"Status\":\"passing\"}}",
				ServiceRegistration.class);
		this.catalog.register(registration, false);
	}

}
