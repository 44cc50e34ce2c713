package dev.connect.identity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.connect.identity.IdentityMessages.quote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceIdentityTests {

	private static final TrustDomain TD = TrustDomain.parse("0b7e3c1a-5d2f-4e8a-9c61-2f4d8a7b9e10.consul");

	@Test
	void serviceInDefaultPartitionRendersWithoutPartition() {
		ServiceIdentity web = ServiceIdentity.of(TD, "dc1", "web");
		assertThat(web).hasToString("spiffe://0b7e3c1a-5d2f-4e8a-9c61-2f4d8a7b9e10.consul/ns/default/dc/dc1/svc/web");
		assertThat(web.spiffeId()).isEqualTo(SpiffeId.parse(web.toString()));
		assertThat(ServiceIdentity.parse(web.toString())).isEqualTo(web);
	}

	@Test
	void serviceInAnotherPartitionRendersThePartitionFirst() {
		ServiceIdentity web = new ServiceIdentity(TD, "team-a", "payments", "dc2", "web");
		assertThat(web.spiffeId().path()).isEqualTo("/ap/team-a/ns/payments/dc/dc2/svc/web");
		assertThat(ServiceIdentity.from(web.spiffeId())).isEqualTo(web);
	}

	@ParameterizedTest
	@ValueSource(strings = { "spiffe://td.consul", "spiffe://td.consul/agent/client/dc/dc1/id/node1",
			"spiffe://td.consul/agent/server/dc/dc1", "spiffe://td.consul/gateway/mesh/dc/dc1",
			"spiffe://td.consul/ap/default/ns/default/identity/web", "spiffe://td.consul/ns/default/svc/web/dc/dc1",
			"spiffe://td.consul/ns/default/dc/dc1/svc/web/extra", "spiffe://td.consul/ap/x/ns/default/dc/dc1/srv/web" })
	void whenIdIsNotConsulServiceFormThenItIsRejected(String id) {
		assertThatThrownBy(() -> ServiceIdentity.parse(id)).isInstanceOf(InvalidIdentityException.class)
			.hasMessage(String.format(IdentityMessages.NOT_A_SERVICE, quote(id)));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "web service", ".", "..", "web/api", "caf\u00e9", "a?b" })
	void whenServiceNameIsNotAPathSegmentThenIdentityIsRefused(String name) {
		assertThatThrownBy(() -> ServiceIdentity.of(TD, "dc1", name)).isInstanceOf(InvalidIdentityException.class)
			.hasMessage(String.format(IdentityMessages.NAME_INVALID, "Service name", quote(name)));
	}

	@Test
	void whenDatacenterIsNotAPathSegmentThenIdentityIsRefused() {
		assertThatThrownBy(() -> ServiceIdentity.of(TD, "dc 1", "web"))
			.hasMessage("Datacenter 'dc 1' must be a non-empty SPIFFE path segment: letters, digits, '.', '-' or '_'");
	}

}
