package dev.connect.identity;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.connect.identity.IdentityMessages.quote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrustDomainTests {

	@Test
	void whenNameIsValidThenItParsesAndItsIdHasNoPath() {
		TrustDomain td = TrustDomain.parse("example.org");
		assertThat(td.name()).isEqualTo("example.org");
		assertThat(td).hasToString("example.org");
		assertThat(td.id()).hasToString("spiffe://example.org");
		assertThat(td.id().path()).isEmpty();
	}

	@Test
	void consulTrustDomainIsTheClusterIdInLowercaseWithConsulSuffix() {
		UUID clusterId = UUID.fromString("0B7E3C1A-5D2F-4E8A-9C61-2F4D8A7B9E10");
		assertThat(TrustDomain.ofCluster(clusterId).name()).isEqualTo("0b7e3c1a-5d2f-4e8a-9c61-2f4d8a7b9e10.consul");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "Example.org | Trust domain 'Example.org' must be lowercase letters, digits, '.', '-' or '_'",
			"example.org:443 | Trust domain 'example.org:443' must be lowercase letters, digits, '.', '-' or '_'",
			"spiffe://example.org | Trust domain 'spiffe://example.org' must be given without the 'spiffe://' scheme",
			"example.org/a | Trust domain 'example.org/a' must be lowercase letters, digits, '.', '-' or '_'" })
	void whenNameBreaksARuleThenParsingFails(String name, String message) {
		assertThatThrownBy(() -> TrustDomain.parse(name)).isInstanceOf(InvalidIdentityException.class)
			.hasMessage(message);
	}

	@Test
	void whenNameIsEmptyOrTooLongThenParsingFails() {
		assertThatThrownBy(() -> TrustDomain.parse("")).hasMessage(IdentityMessages.TRUST_DOMAIN_EMPTY);
		String longName = "a".repeat(256);
		assertThatThrownBy(() -> TrustDomain.parse(longName))
			.hasMessage(String.format(IdentityMessages.TRUST_DOMAIN_TOO_LONG, quote(longName), 256));
	}

}
