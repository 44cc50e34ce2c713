package dev.connect.identity;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.connect.identity.IdentityMessages.quote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SpiffeIdTests {

	@ParameterizedTest
	@ValueSource(strings = { "spiffe://example.org", "spiffe://example.org/path", "spiffe://example.org/a/b/c",
			"spiffe://a.b-c_d.0123/x.y-z_W", "spiffe://127.0.0.1/svc", "spiffe://example.org/.../..a/a..",
			"spiffe://0b7e3c1a-5d2f-4e8a-9c61-2f4d8a7b9e10.consul/ns/default/dc/dc1/svc/billing",
			"spiffe://td/ABC/xyz/0-9" })
	void whenIdFollowsEveryRuleThenItParsesAndRendersUnchanged(String id) {
		SpiffeId parsed = SpiffeId.parse(id);
		assertThat(parsed).hasToString(id);
		assertThat(SpiffeId.of(parsed.trustDomain(), parsed.path())).isEqualTo(parsed);
		assertThat(parsed.segments()).hasSize(parsed.path().isEmpty() ? 0 : parsed.path().split("/").length - 1);
	}

	@Test
	void parsedIdExposesTrustDomainPathAndSegments() {
		SpiffeId id = SpiffeId.parse("spiffe://example.org/ns/default/svc/web");
		assertThat(id.trustDomain()).isEqualTo(TrustDomain.parse("example.org"));
		assertThat(id.path()).isEqualTo("/ns/default/svc/web");
		assertThat(id.segments()).containsExactly("ns", "default", "svc", "web");
		assertThat(id.isMemberOf(TrustDomain.parse("example.org"))).isTrue();
		assertThat(id.isMemberOf(TrustDomain.parse("example.com"))).isFalse();
		assertThat(SpiffeId.parse("spiffe://example.org").segments()).isEmpty();
	}

	static Stream<Arguments> rejections() {
		return Stream.of(
				rule("", IdentityMessages.ID_EMPTY),
				rule("example.org", IdentityMessages.ID_WRONG_SCHEME, quote("example.org")),
				rule("http://example.org/a", IdentityMessages.ID_WRONG_SCHEME, quote("http://example.org/a")),
				rule("spiffe:/example.org", IdentityMessages.ID_WRONG_SCHEME, quote("spiffe:/example.org")),
				rule("spiffe:example.org", IdentityMessages.ID_WRONG_SCHEME, quote("spiffe:example.org")),
				rule("SPIFFE://example.org", IdentityMessages.ID_SCHEME_NOT_LOWERCASE, quote("SPIFFE://example.org")),
				rule("Spiffe://example.org", IdentityMessages.ID_SCHEME_NOT_LOWERCASE, quote("Spiffe://example.org")),
				rule("spiffe://", IdentityMessages.ID_NO_TRUST_DOMAIN, quote("spiffe://")),
				rule("spiffe:///path", IdentityMessages.ID_NO_TRUST_DOMAIN, quote("spiffe:///path")),
				rule("spiffe://user@example.org", IdentityMessages.ID_USERINFO, quote("spiffe://user@example.org")),
				rule("spiffe://user:pw@example.org/a", IdentityMessages.ID_USERINFO,
						quote("spiffe://user:pw@example.org/a")),
				rule("spiffe://example.org:8443", IdentityMessages.ID_PORT, quote("spiffe://example.org:8443")),
				rule("spiffe://example.org:8443/a", IdentityMessages.ID_PORT, quote("spiffe://example.org:8443/a")),
				rule("spiffe://Example.org", IdentityMessages.TRUST_DOMAIN_CHARS, quote("Example.org")),
				rule("spiffe://exa mple.org", IdentityMessages.TRUST_DOMAIN_CHARS, quote("exa mple.org")),
				rule("spiffe://[::1]/a", IdentityMessages.ID_PORT, quote("spiffe://[::1]/a")),
				rule("spiffe://example.org/", IdentityMessages.ID_TRAILING_SLASH, quote("spiffe://example.org/")),
				rule("spiffe://example.org/a/", IdentityMessages.ID_TRAILING_SLASH, quote("spiffe://example.org/a/")),
				rule("spiffe://example.org//a", IdentityMessages.ID_EMPTY_SEGMENT, quote("spiffe://example.org//a")),
				rule("spiffe://example.org/a//b", IdentityMessages.ID_EMPTY_SEGMENT, quote("spiffe://example.org/a//b")),
				rule("spiffe://example.org/.", IdentityMessages.ID_DOT_SEGMENT, quote("spiffe://example.org/.")),
				rule("spiffe://example.org/..", IdentityMessages.ID_DOT_SEGMENT, quote("spiffe://example.org/..")),
				rule("spiffe://example.org/a/./b", IdentityMessages.ID_DOT_SEGMENT, quote("spiffe://example.org/a/./b")),
				rule("spiffe://example.org/a/../b", IdentityMessages.ID_DOT_SEGMENT,
						quote("spiffe://example.org/a/../b")),
				rule("spiffe://example.org?x=1", IdentityMessages.ID_QUERY, quote("spiffe://example.org?x=1")),
				rule("spiffe://example.org/a?x=1", IdentityMessages.ID_QUERY, quote("spiffe://example.org/a?x=1")),
				rule("spiffe://example.org/a#frag", IdentityMessages.ID_FRAGMENT, quote("spiffe://example.org/a#frag")),
				rule("spiffe://example.org#", IdentityMessages.ID_FRAGMENT, quote("spiffe://example.org#")),
				rule("spiffe://example.org/a%20b", IdentityMessages.ID_PERCENT_ENCODED,
						quote("spiffe://example.org/a%20b")),
				rule("spiffe://ex%61mple.org/a", IdentityMessages.ID_PERCENT_ENCODED, quote("spiffe://ex%61mple.org/a")),
				rule("spiffe://example.org/a b", IdentityMessages.ID_SEGMENT_CHARS, quote("a b"),
						quote("spiffe://example.org/a b")),
				rule("spiffe://example.org/caf\u00e9", IdentityMessages.ID_SEGMENT_CHARS, quote("caf\u00e9"),
						quote("spiffe://example.org/caf\u00e9")),
				rule("spiffe://example.org/a\nb", IdentityMessages.ID_SEGMENT_CHARS, quote("a\nb"),
						quote("spiffe://example.org/a\nb")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rejections")
	void whenIdBreaksARuleThenParsingFailsNamingValueAndRule(String id, String message) {
		InvalidIdentityException ex = catchThrowableOfType(InvalidIdentityException.class, () -> SpiffeId.parse(id));
		assertThat(ex).hasMessage(message);
		assertThat(ex.value()).isEqualTo(id);
	}

	@Test
	void whenTrustDomainIsAtMost255BytesThenItIsAccepted() {
		String trustDomain = "a".repeat(255);
		assertThat(SpiffeId.parse("spiffe://" + trustDomain + "/x").trustDomain().name()).isEqualTo(trustDomain);
	}

	@Test
	void whenTrustDomainIsLongerThan255BytesThenParsingFails() {
		String trustDomain = "a".repeat(256);
		assertThatThrownBy(() -> SpiffeId.parse("spiffe://" + trustDomain))
			.hasMessage(String.format(IdentityMessages.TRUST_DOMAIN_TOO_LONG, quote(trustDomain), 256));
	}

	@Test
	void whenIdIsAtMost2048BytesThenItIsAccepted() {
		String id = "spiffe://example.org/" + "a".repeat(2048 - "spiffe://example.org/".length());
		assertThat(SpiffeId.parse(id).toString()).hasSize(2048);
	}

	@Test
	void whenIdIsLongerThan2048BytesThenParsingFails() {
		String id = "spiffe://example.org/" + "a".repeat(2049 - "spiffe://example.org/".length());
		assertThatThrownBy(() -> SpiffeId.parse(id))
			.hasMessage(String.format(IdentityMessages.ID_TOO_LONG, quote(id), 2049));
	}

	@Test
	void whenIdIsBuiltFromATrustDomainAndPathTheSameRulesApply() {
		TrustDomain td = TrustDomain.parse("example.org");
		assertThat(SpiffeId.fromSegments(td, "ns", "default")).hasToString("spiffe://example.org/ns/default");
		assertThat(SpiffeId.of(td, "")).isEqualTo(td.id());
		assertThatThrownBy(() -> SpiffeId.of(td, "ns"))
			.hasMessage(String.format(IdentityMessages.PATH_NOT_ABSOLUTE, quote("ns")));
		assertThatThrownBy(() -> SpiffeId.fromSegments(td, "a", ".."))
			.hasMessage(String.format(IdentityMessages.ID_DOT_SEGMENT, quote("spiffe://example.org/a/..")));
		assertThatThrownBy(() -> SpiffeId.of(td, "/a?b"))
			.hasMessage(String.format(IdentityMessages.ID_QUERY, quote("spiffe://example.org/a?b")));
	}

	static Stream<Arguments> everyByteInTheTrustDomain() {
		return IntStream.range(0, 256).mapToObj((b) -> Arguments.of((char) b));
	}

	@ParameterizedTest
	@MethodSource("everyByteInTheTrustDomain")
	void everyByteValueInTheTrustDomainIsAcceptedOnlyIfAllowed(char c) {
		String trustDomain = "a" + c + "b";
		String id = "spiffe://" + trustDomain + "/x";
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_') {
			assertThat(SpiffeId.parse(id).trustDomain().name()).isEqualTo(trustDomain);
			return;
		}
		if (c == '/') {
			assertThat(SpiffeId.parse(id).trustDomain().name()).isEqualTo("a");
			return;
		}
		String expected = switch (c) {
			case '?' -> String.format(IdentityMessages.ID_QUERY, quote(id));
			case '#' -> String.format(IdentityMessages.ID_FRAGMENT, quote(id));
			case '%' -> String.format(IdentityMessages.ID_PERCENT_ENCODED, quote(id));
			case '@' -> String.format(IdentityMessages.ID_USERINFO, quote(id));
			case ':' -> String.format(IdentityMessages.ID_PORT, quote(id));
			default -> String.format(IdentityMessages.TRUST_DOMAIN_CHARS, quote(trustDomain));
		};
		assertThatThrownBy(() -> SpiffeId.parse(id)).isInstanceOf(InvalidIdentityException.class).hasMessage(expected);
	}

	@ParameterizedTest
	@MethodSource("everyByteInTheTrustDomain")
	void everyByteValueInAPathSegmentIsAcceptedOnlyIfAllowed(char c) {
		String segment = "a" + c + "b";
		String id = "spiffe://example.org/" + segment;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-'
				|| c == '_') {
			assertThat(SpiffeId.parse(id).segments()).containsExactly(segment);
			return;
		}
		if (c == '/') {
			assertThat(SpiffeId.parse(id).segments()).containsExactly("a", "b");
			return;
		}
		String expected = switch (c) {
			case '?' -> String.format(IdentityMessages.ID_QUERY, quote(id));
			case '#' -> String.format(IdentityMessages.ID_FRAGMENT, quote(id));
			case '%' -> String.format(IdentityMessages.ID_PERCENT_ENCODED, quote(id));
			default -> String.format(IdentityMessages.ID_SEGMENT_CHARS, quote(segment), quote(id));
		};
		assertThatThrownBy(() -> SpiffeId.parse(id)).isInstanceOf(InvalidIdentityException.class).hasMessage(expected);
	}

	@Test
	void quotedValuesEscapeControlCharactersAndAreCutWhenLong() {
		assertThat(quote("a\r\nb")).isEqualTo("'a\\u000d\\u000ab'");
		assertThat(quote("x".repeat(200))).isEqualTo("'" + "x".repeat(96) + "...(200 characters)'");
	}

	@Test
	void equalIdsHaveEqualHashCodes() {
		assertThat(SpiffeId.parse("spiffe://example.org/a")).isEqualTo(SpiffeId.parse("spiffe://example.org/a"))
			.hasSameHashCodeAs(SpiffeId.parse("spiffe://example.org/a"))
			.isNotEqualTo(SpiffeId.parse("spiffe://example.org/A"));
		assertThat(List.of(SpiffeId.parse("spiffe://example.org")))
			.containsExactly(TrustDomain.parse("example.org").id());
	}

	private static Arguments rule(String id, String template, Object... args) {
		return Arguments.of(id, String.format(template, args));
	}

}
