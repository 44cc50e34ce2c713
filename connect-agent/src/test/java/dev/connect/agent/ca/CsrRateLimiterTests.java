package dev.connect.agent.ca;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.connect.agent.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsrRateLimiterTests {

	private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

	private final List<Long> sleeps = new ArrayList<>();

	private final CsrRateLimiter.Sleeper sleeper = (wait) -> {
		this.sleeps.add(wait);
		this.nanos.addAndGet(wait);
	};

	@Test
	void whenTheNextSlotIsNearThenTheRequestWaitsForIt() {
		CsrRateLimiter limiter = new CsrRateLimiter(4, this.nanos::get, this.sleeper);
		limiter.acquire();
		limiter.acquire();
		limiter.acquire();
		assertThat(this.sleeps).containsExactly(250_000_000L, 250_000_000L);
	}

	@Test
	void whenTheNextSlotIsMoreThan500MillisecondsAwayThenTheRequestFailsWithoutTakingIt() {
		CsrRateLimiter limiter = new CsrRateLimiter(1, this.nanos::get, this.sleeper);
		limiter.acquire();
		assertThatThrownBy(limiter::acquire).isInstanceOf(RateLimitedException.class)
			.hasMessage("Rate limit reached, try again later");
		this.nanos.addAndGet(501_000_000L);
		limiter.acquire();
		assertThat(this.sleeps).containsExactly(499_000_000L);
	}

	@Test
	void whenTimePassesTheBucketRefillsButHoldsOnlyOneToken() {
		CsrRateLimiter limiter = new CsrRateLimiter(2, this.nanos::get, this.sleeper);
		limiter.acquire();
		this.nanos.addAndGet(10_000_000_000L);
		limiter.acquire();
		limiter.acquire();
		assertThat(this.sleeps).containsExactly(500_000_000L);
	}

	@Test
	void whenRateIsZeroThereIsNoLimit() {
		CsrRateLimiter limiter = new CsrRateLimiter(0, this.nanos::get, this.sleeper);
		for (int i = 0; i < 1000; i++) {
			limiter.acquire();
		}
		assertThat(this.sleeps).isEmpty();
	}

	@Test
	void caRefusesLeavesBeyondItsRateWithConsulsMessage() {
		CertificateAuthority ca = CertificateAuthority.create(CaConfig.defaults().withCsrMaxPerSecond(1), "dc1",
				new MutableClock(Instant.parse("2031-02-03T04:05:06Z")), new SecureRandom(),
				(rate) -> new CsrRateLimiter(rate, this.nanos::get, this.sleeper));
		ca.issueLeaf("web");
		assertThatThrownBy(() -> ca.issueLeaf("web")).isInstanceOf(RateLimitedException.class)
			.hasMessage(RateLimitedException.MESSAGE);
		this.nanos.addAndGet(1_000_000_000L);
		assertThat(ca.issueLeaf("web").identity().service()).isEqualTo("web");
	}

}
