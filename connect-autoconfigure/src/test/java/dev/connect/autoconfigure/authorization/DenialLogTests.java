package dev.connect.autoconfigure.authorization;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import dev.connect.identity.ServiceIdentity;
import dev.connect.identity.SpiffeId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DenialLogTests {

	private static final String TRUST_DOMAIN = "11111111-2222-3333-4444-555555555555.consul";

	private static final SpiffeId WEB = SpiffeId.parse("spiffe://" + TRUST_DOMAIN + "/ns/default/dc/dc1/svc/web");

	private static final SpiffeId API = SpiffeId.parse("spiffe://" + TRUST_DOMAIN + "/ns/default/dc/dc1/svc/api");

	private Instant now = Instant.parse("2031-02-03T04:00:00Z");

	private final List<String> lines = new ArrayList<>();

	private final DenialLog log = new DenialLog("counting", new Clock() {

		@Override
		public Instant instant() {
			return DenialLogTests.this.now;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			throw new UnsupportedOperationException();
		}

	}, this.lines::add);

	@Test
	void aDenialNamesCallerCalleeReasonAndTheCommandThatAllowsIt() {
		this.log.denied(WEB, ServiceIdentity.from(WEB), "Default intention policy");
		assertThat(this.lines).containsExactly("Denied a call from 'web' to 'counting': Default intention policy. "
				+ "To allow it: consul intention create -replace -allow web counting (caller " + WEB + ")");
	}

	@Test
	void aCallerDeniedAgainWithinAMinuteIsNotLoggedAgainAndTheNextLineCountsTheOnesLeftOut() {
		this.log.denied(WEB, ServiceIdentity.from(WEB), "Default intention policy");
		for (int i = 0; i < 4; i++) {
			this.now = this.now.plusSeconds(10);
			this.log.denied(WEB, ServiceIdentity.from(WEB), "Default intention policy");
		}
		assertThat(this.lines).hasSize(1);
		this.now = Instant.parse("2031-02-03T04:00:00Z").plus(DenialLog.INTERVAL);
		this.log.denied(WEB, ServiceIdentity.from(WEB), "Default intention policy");
		assertThat(this.lines).hasSize(2);
		assertThat(this.lines.get(1)).endsWith("(caller " + WEB
				+ "; 4 more denials of this caller since 2031-02-03T04:00:00Z not logged)");
		this.now = this.now.plus(DenialLog.INTERVAL);
		this.log.denied(WEB, ServiceIdentity.from(WEB), "Default intention policy");
		assertThat(this.lines.get(2)).endsWith("(caller " + WEB + ")");
	}

	@Test
	void eachCallerHasItsOwnMinute() {
		this.log.denied(WEB, ServiceIdentity.from(WEB), "Default intention policy");
		this.now = this.now.plus(Duration.ofSeconds(1));
		this.log.denied(API, ServiceIdentity.from(API), "Default intention policy");
		this.log.denied(WEB, ServiceIdentity.from(WEB), "Default intention policy");
		assertThat(this.lines).hasSize(2);
		assertThat(this.lines.get(1)).startsWith("Denied a call from 'api' to 'counting'");
	}

	@Test
	void aCallerThatIsNotAServiceGetsNoCommand() {
		SpiffeId agent = SpiffeId.parse("spiffe://" + TRUST_DOMAIN + "/agent/client/dc/dc1/id/node1");
		this.log.denied(agent, null, "Default intention policy");
		assertThat(this.lines).containsExactly("Denied a call from '" + agent + "' to 'counting': Default intention "
				+ "policy. " + DenialLog.NOT_A_SERVICE + " (caller " + agent + ")");
	}

}
