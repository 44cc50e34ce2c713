package dev.connect.mesh;

import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

import dev.connect.identity.SpiffeId;
import dev.connect.pki.PeerRole;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which service the client expects at an address, and the in-handshake check made with it.
 */
class UpstreamAddressBookTests {

	private static final String TD = "11111111-2222-3333-4444-555555555555.consul";

	private static final SpiffeId COUNTING = SpiffeId.parse("spiffe://" + TD + "/ns/default/dc/dc1/svc/counting");

	private final UpstreamAddressBook upstreams = new UpstreamAddressBook();

	@Test
	void theServiceRecordedAtAnAddressIsTheOneItsServerMustProve() throws Exception {
		this.upstreams.expect("127.0.0.1", 8443, UpstreamIdentity.of("dc1", "counting"));
		this.upstreams.expect("127.0.0.1", 8443, UpstreamIdentity.of("dc1", "counting"));
		assertThat(this.upstreams.expectedAt("127.0.0.1", 8443)).isEqualTo(UpstreamIdentity.of("dc1", "counting"));
		assertThatCode(() -> this.upstreams.verify(COUNTING, PeerRole.SERVER, engine("127.0.0.1", 8443)))
			.doesNotThrowAnyException();
		assertThatThrownBy(() -> this.upstreams.verify(COUNTING, PeerRole.SERVER, engine("127.0.0.1", 9443)))
			.hasMessage("No mesh service is expected at 127.0.0.1:9443: refusing to talk to it");
	}

	@Test
	void anAddressRecordedForTwoServicesIsRefusedForBothUntilOneIsForgotten() throws Exception {
		this.upstreams.expect("127.0.0.1", 8443, UpstreamIdentity.of("dc1", "counting"));
		this.upstreams.expect("127.0.0.1", 8443, UpstreamIdentity.of("dc1", "billing"));
		assertThat(this.upstreams.expectedAt("127.0.0.1", 8443)).isNull();
		assertThatThrownBy(() -> this.upstreams.verify(COUNTING, PeerRole.SERVER, engine("127.0.0.1", 8443)))
			.hasMessage("Services [/ns/default/dc/dc1/svc/billing, /ns/default/dc/dc1/svc/counting] are all registered at 127.0.0.1:8443: refusing to talk to it "
					+ "until only one is");
		this.upstreams.forget("127.0.0.1", 8443, UpstreamIdentity.of("dc1", "billing"));
		assertThat(this.upstreams.expectedAt("127.0.0.1", 8443)).isEqualTo(UpstreamIdentity.of("dc1", "counting"));
		assertThatCode(() -> this.upstreams.verify(COUNTING, PeerRole.SERVER, engine("127.0.0.1", 8443)))
			.doesNotThrowAnyException();
	}

	@Test
	void forgettingOneServiceLeavesAnotherRecordedAtTheSameAddress() {
		this.upstreams.expect("127.0.0.1", 8443, UpstreamIdentity.of("dc1", "billing"));
		this.upstreams.forget("127.0.0.1", 8443, UpstreamIdentity.of("dc1", "counting"));
		assertThat(this.upstreams.expectedAt("127.0.0.1", 8443)).isEqualTo(UpstreamIdentity.of("dc1", "billing"));
		this.upstreams.forget("127.0.0.1", 8443, UpstreamIdentity.of("dc1", "billing"));
		assertThat(this.upstreams.expectedAt("127.0.0.1", 8443)).isNull();
	}

	@Test
	void aServerProvingAnotherServiceIsRefused() {
		this.upstreams.expect("::1", 8443, UpstreamIdentity.of("dc1", "billing"));
		assertThatThrownBy(() -> this.upstreams.verify(COUNTING, PeerRole.SERVER, engine("[::1]", 8443)))
			.hasMessage("Expected '/ns/default/dc/dc1/svc/billing' at ::1:8443, but the server presented '" + COUNTING + "'");
	}

	@Test
	void clientsAreNotCheckedAgainstTheBook() {
		assertThatCode(() -> this.upstreams.verify(COUNTING, PeerRole.CLIENT, null)).doesNotThrowAnyException();
	}

	private static SSLEngine engine(String host, int port) throws Exception {
		return SSLContext.getDefault().createSSLEngine(host, port);
	}

	@Test
	void anUpdateExpectsEveryListedInstanceAndForgetsOnlyThoseThatLeft() {
		UpstreamAddressBook.Instance stays = new UpstreamAddressBook.Instance("127.0.0.1", 8443,
				UpstreamIdentity.of("dc1", "counting"));
		UpstreamAddressBook.Instance leaves = new UpstreamAddressBook.Instance("127.0.0.2", 8443,
				UpstreamIdentity.of("dc1", "counting"));
		UpstreamAddressBook.Instance joins = new UpstreamAddressBook.Instance("127.0.0.3", 8443,
				UpstreamIdentity.of("dc2", "counting"));
		this.upstreams.update(List.of(), List.of(stays, leaves));
		this.upstreams.update(List.of(stays, leaves), List.of(stays, joins));
		assertThat(this.upstreams.expectedAt("127.0.0.1", 8443)).isEqualTo(UpstreamIdentity.of("dc1", "counting"));
		assertThat(this.upstreams.expectedAt("127.0.0.2", 8443)).isNull();
		assertThat(this.upstreams.expectedAt("127.0.0.3", 8443)).isEqualTo(UpstreamIdentity.of("dc2", "counting"));
	}

}
