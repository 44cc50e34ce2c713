package dev.connect.agent.leafcert;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;

import dev.connect.agent.ca.CaConfig;
import dev.connect.agent.ca.CaStore;
import dev.connect.agent.ca.CertificateAuthority;
import java.util.List;

import dev.connect.agent.index.BlockingQuery;
import dev.connect.agent.index.BlockingQuery.Watch;
import dev.connect.agent.index.ChangeIndex;
import dev.connect.api.Indexed;
import dev.connect.agent.index.QueryOptions;
import dev.connect.agent.index.Topic;
import dev.connect.agent.leafcert.LeafCertificates.Lookup;
import dev.connect.agent.testsupport.MutableClock;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

class LeafCertificatesTests {

	private static final Instant START = Instant.parse("2031-02-03T04:05:06Z");

	private final MutableClock clock = new MutableClock(START);

	private final ChangeIndex changes = new ChangeIndex(0);

	private final CaStore ca = new CaStore(CertificateAuthority.create(
			CaConfig.defaults().withCsrMaxPerSecond(0), "dc1", this.clock, new SecureRandom()), this.changes);

	private final LeafCertificates leaves = new LeafCertificates(this.ca, this.changes, this.clock, new SecureRandom());

	@Test
	void firstRequestIssuesAndLaterRequestsHitTheCache() {
		Lookup first = this.leaves.revalidate("web");
		Lookup second = this.leaves.revalidate("web");
		assertThat(first.cacheHit()).isFalse();
		assertThat(second.cacheHit()).isTrue();
		assertThat(second.leaf()).isSameAs(first.leaf());
		assertThat(first.index()).isEqualTo(this.changes.index(Topic.LEAF, "web"));
	}

	@Test
	void leafIsRenewedBetween60And90PercentOfItsLifetime() {
		Lookup first = this.leaves.revalidate("web");
		this.clock.advance(Duration.ofMinutes(72 * 60 * 6 / 10 - 2));
		this.leaves.tick();
		assertThat(this.leaves.peek("web").leaf()).as("not renewed before 60 %").isSameAs(first.leaf());
		this.clock.advance(Duration.ofMinutes(72 * 60 * 3 / 10 + 1));
		this.leaves.tick();
		Lookup renewed = this.leaves.peek("web");
		assertThat(renewed.leaf()).as("renewed by 90 %").isNotSameAs(first.leaf());
		assertThat(renewed.index()).isGreaterThan(first.index());
	}

	@Test
	void aRequestPastTheHardRenewalPointGetsANewLeafAtOnce() {
		Lookup first = this.leaves.revalidate("web");
		this.clock.advance(Duration.ofMinutes(72 * 60 * 9 / 10 + 1));
		Lookup second = this.leaves.revalidate("web");
		assertThat(second.cacheHit()).isFalse();
		assertThat(second.leaf().serialNumber()).isNotEqualTo(first.leaf().serialNumber());
	}

	@Test
	void afterARootChangeLeavesAreReissuedWithinThirtySeconds() {
		Lookup first = this.leaves.revalidate("web");
		this.ca.rotate(null);
		assertThat(this.leaves.peek("web").leaf()).as("not re-issued synchronously").isSameAs(first.leaf());
		this.clock.advance(Duration.ofSeconds(30));
		this.leaves.tick();
		Lookup reissued = this.leaves.peek("web");
		assertThat(reissued.leaf().signingKeyId()).isEqualTo(this.ca.authority().activeRoot().signingKeyId())
			.isNotEqualTo(first.leaf().signingKeyId());
	}

	@Test
	void aShorterRootChangeWindowReissuesWithinIt() {
		LeafCertificates quick = new LeafCertificates(this.ca, this.changes, this.clock, new SecureRandom(),
				Duration.ofSeconds(2));
		Lookup first = quick.revalidate("web");
		this.ca.rotate(null);
		this.clock.advance(Duration.ofSeconds(2));
		quick.tick();
		assertThat(quick.peek("web").leaf().signingKeyId()).isEqualTo(this.ca.authority().activeRoot().signingKeyId())
			.isNotEqualTo(first.leaf().signingKeyId());
	}

	@Test
	void aRequestAfterARootChangeRevalidatesAgainstTheActiveRoot() {
		Lookup first = this.leaves.revalidate("web");
		this.ca.rotate(null);
		Lookup second = this.leaves.revalidate("web");
		assertThat(second.cacheHit()).isFalse();
		assertThat(second.leaf().signingKeyId()).isNotEqualTo(first.leaf().signingKeyId());
	}

	@Test
	void aQueryBlockedOnTheLeafWakesWithTheRenewedLeaf() {
		Lookup first = this.leaves.revalidate("web");
		BlockingQuery queries = new BlockingQuery(this.changes);
		Mono<Indexed<Lookup>> blocked = queries
			.run(new QueryOptions(first.index(), Duration.ofMinutes(1)), Duration.ofMinutes(10),
					List.of(new Watch(Topic.LEAF, "web")), () -> {
						Lookup current = this.leaves.peek("web");
						return new Indexed<>(current.index(), current);
					})
			.cache();
		blocked.subscribe();
		this.clock.advance(Duration.ofHours(65));
		this.leaves.tick();
		Indexed<Lookup> woken = blocked.block(Duration.ofSeconds(2));
		assertThat(woken.index()).isGreaterThan(first.index());
		assertThat(woken.value().leaf()).isNotSameAs(first.leaf());
	}

	@Test
	void leavesNobodyAskedForInThreeDaysAreDropped() {
		this.leaves.revalidate("web");
		this.clock.advance(Duration.ofHours(72).plusSeconds(1));
		this.leaves.tick();
		assertThat(this.leaves.peek("web")).isNull();
	}

}
