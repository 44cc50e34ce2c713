package dev.connect.pki;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.connect.identity.SpiffeId;
import dev.connect.pki.TestPki.Issued;
import dev.connect.pki.TestPki.Spec;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The validator's memory of accepted chains: a repeated chain gives the same answer as a first validation at the
 * same instant, for every rule, and a new trust bundle never answers from an old one's results.
 */
class SvidValidatorCacheTests {

	private static final String TD = "11111111-2222-3333-4444-555555555555.consul";

	private static final String WEB = "spiffe://" + TD + "/ns/default/dc/dc1/svc/web";

	private static final Issued ROOT = TestPki.root(TD);

	private final SettableClock clock = new SettableClock(TestPki.NOW);

	private final SvidValidator validator = SvidValidator.of(List.of(ROOT.certificate()), this.clock);

	/**
	 * Chains every validation refuses, whatever came before: the first call and the repeated call fail alike.
	 */
	static Stream<Arguments> refusedChains() {
		Issued otherRoot = TestPki.root(TD);
		Issued lastCa = new Spec("CN=last").uris("spiffe://" + TD).ca(0).keyUsage(KeyUsage.keyCertSign).signedBy(ROOT);
		Issued belowLast = new Spec("CN=below").uris("spiffe://" + TD).ca(-1).keyUsage(KeyUsage.keyCertSign)
			.signedBy(lastCa);
		Issued oldCa = new Spec("CN=old").uris("spiffe://" + TD).ca(0).keyUsage(KeyUsage.keyCertSign)
			.validity(TestPki.NOW.minus(Duration.ofDays(9)), TestPki.NOW.minus(Duration.ofDays(2)))
			.signedBy(ROOT);
		return Stream.of(
				refused("another CA's leaf", List.of(leaf(Function.identity(), otherRoot), otherRoot.certificate())),
				refused("expired leaf", List.of(leaf((s) -> s.validity(TestPki.NOW.minusSeconds(9),
						TestPki.NOW.minusSeconds(1)), ROOT))),
				refused("leaf not yet valid", List.of(leaf((s) -> s.validity(TestPki.NOW.plusSeconds(1),
						TestPki.NOW.plusSeconds(9)), ROOT))),
				refused("expired intermediate", List.of(leaf(Function.identity(), oldCa), oldCa.certificate())),
				refused("two URI SANs", List.of(leaf((s) -> s.uris(WEB + "2"), ROOT))),
				refused("CA leaf", List.of(leaf((s) -> s.ca(-1), ROOT))),
				refused("path length exceeded", List.of(leaf(Function.identity(), belowLast),
						belowLast.certificate(), lastCa.certificate())),
				refused("a root as the leaf", List.of(ROOT.certificate())));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("refusedChains")
	void whenAChainIsRefusedThenTheRepeatedCallIsRefusedWithTheSameMessage(String name, List<X509Certificate> chain) {
		Throwable first = catchThrowable(() -> this.validator.validate(chain, PeerRole.CLIENT));
		assertThat(first).isInstanceOf(InvalidSvidException.class);
		assertThatThrownBy(() -> this.validator.validate(chain, PeerRole.CLIENT))
			.isInstanceOf(InvalidSvidException.class)
			.hasMessage(first.getMessage());
		assertThat(this.validator.rememberedChains()).isZero();
	}

	@Test
	void whenAcceptedChainIsPresentedAgainThenTheSameIdIsReturnedFromItsBytes() throws Exception {
		X509Certificate leaf = leaf(Function.identity(), ROOT);
		assertThat(this.validator.validate(List.of(leaf), PeerRole.CLIENT)).isEqualTo(SpiffeId.parse(WEB));
		X509Certificate reparsed = Pem.parseCertificates(Pem.encode(leaf)).get(0);
		assertThat(this.validator.validate(List.of(reparsed), PeerRole.CLIENT)).isEqualTo(SpiffeId.parse(WEB));
		assertThat(this.validator.rememberedChains()).isOne();
	}

	@Test
	void whenAcceptedLeafExpiresThenTheRepeatedCallFailsAsAFirstCallWould() throws Exception {
		X509Certificate leaf = leaf((s) -> s.validity(TestPki.NOW.minusSeconds(60), TestPki.NOW.plusSeconds(60)), ROOT);
		assertThat(this.validator.validate(List.of(leaf), PeerRole.SERVER)).hasToString(WEB);
		this.clock.set(TestPki.NOW.plusSeconds(61));
		assertSameAnswerAsANewValidator(List.of(leaf), PeerRole.SERVER,
				String.format(SvidValidator.EXPIRED, SvidValidator.describe(leaf), TestPki.NOW.plusSeconds(60)));
	}

	@Test
	void whenTheClockMovesBeforeAnAcceptedLeafThenTheRepeatedCallFailsAsAFirstCallWould() throws Exception {
		X509Certificate leaf = leaf((s) -> s.validity(TestPki.NOW.minusSeconds(60), TestPki.NOW.plusSeconds(60)), ROOT);
		assertThat(this.validator.validate(List.of(leaf), PeerRole.SERVER)).hasToString(WEB);
		this.clock.set(TestPki.NOW.minusSeconds(61));
		assertSameAnswerAsANewValidator(List.of(leaf), PeerRole.SERVER,
				String.format(SvidValidator.NOT_YET_VALID, SvidValidator.describe(leaf), TestPki.NOW.minusSeconds(60)));
	}

	@Test
	void whenAnAcceptedChainsIntermediateExpiresThenTheRepeatedCallFailsAsAFirstCallWould() throws Exception {
		Issued intermediate = new Spec("CN=short").uris("spiffe://" + TD).ca(0).keyUsage(KeyUsage.keyCertSign)
			.validity(TestPki.NOW.minusSeconds(60), TestPki.NOW.plusSeconds(60))
			.signedBy(ROOT);
		List<X509Certificate> chain = List.of(leaf(Function.identity(), intermediate), intermediate.certificate());
		assertThat(this.validator.validate(chain, PeerRole.CLIENT)).hasToString(WEB);
		this.clock.set(TestPki.NOW.plusSeconds(61));
		Throwable repeated = catchThrowable(() -> this.validator.validate(chain, PeerRole.CLIENT));
		assertThat(repeated).isInstanceOf(InvalidSvidException.class)
			.hasMessageContaining("does not chain to a trusted root of this mesh");
		assertThatThrownBy(() -> SvidValidator.of(List.of(ROOT.certificate()), this.clock).validate(chain,
				PeerRole.CLIENT)).hasMessage(repeated.getMessage());
	}

	@Test
	void whenTheClockReturnsWithinValidityThenTheChainIsAcceptedAgain() throws Exception {
		X509Certificate leaf = leaf((s) -> s.validity(TestPki.NOW.minusSeconds(60), TestPki.NOW.plusSeconds(60)), ROOT);
		this.validator.validate(List.of(leaf), PeerRole.CLIENT);
		this.clock.set(TestPki.NOW.plusSeconds(61));
		assertThatThrownBy(() -> this.validator.validate(List.of(leaf), PeerRole.CLIENT))
			.isInstanceOf(InvalidSvidException.class);
		this.clock.set(TestPki.NOW);
		assertThat(this.validator.validate(List.of(leaf), PeerRole.CLIENT)).hasToString(WEB);
	}

	@Test
	void whenAChainAcceptedForOneRoleIsPresentedInTheOtherThenTheOtherRolesRuleApplies() throws Exception {
		X509Certificate leaf = leaf((s) -> s.extendedKeyUsage(KeyPurposeId.id_kp_serverAuth), ROOT);
		assertThat(this.validator.validate(List.of(leaf), PeerRole.SERVER)).hasToString(WEB);
		assertThatThrownBy(() -> this.validator.validate(List.of(leaf), PeerRole.CLIENT))
			.hasMessage(String.format(SvidValidator.LEAF_WRONG_USAGE, SvidValidator.describe(leaf),
					PeerRole.CLIENT.usage()));
	}

	@Test
	void whenANewTrustBundleDoesNotTrustAnAcceptedChainThenItRefusesItOnEveryCall() throws Exception {
		X509Certificate leaf = leaf(Function.identity(), ROOT);
		assertThat(this.validator.validate(List.of(leaf), PeerRole.CLIENT)).hasToString(WEB);
		SvidValidator rotated = SvidValidator.of(List.of(TestPki.root(TD).certificate()), this.clock);
		for (int call = 0; call < 2; call++) {
			assertThatThrownBy(() -> rotated.validate(List.of(leaf), PeerRole.CLIENT))
				.isInstanceOf(InvalidSvidException.class)
				.hasMessageStartingWith(String.format(SvidValidator.NOT_TRUSTED, SvidValidator.describe(leaf), ""));
		}
		assertThat(this.validator.validate(List.of(leaf), PeerRole.CLIENT)).hasToString(WEB);
	}

	@Test
	void whenTheSameLeafComesWithAnotherChainThenThatChainIsValidatedOnItsOwn() throws Exception {
		Issued intermediate = new Spec("CN=short").uris("spiffe://" + TD).ca(0).keyUsage(KeyUsage.keyCertSign)
			.validity(TestPki.NOW.minusSeconds(60), TestPki.NOW.plusSeconds(60))
			.signedBy(ROOT);
		X509Certificate leaf = leaf(Function.identity(), intermediate);
		assertThat(this.validator.validate(List.of(leaf, intermediate.certificate()), PeerRole.CLIENT))
			.hasToString(WEB);
		assertThatThrownBy(() -> this.validator.validate(List.of(leaf), PeerRole.CLIENT))
			.hasMessageContaining("does not chain to a trusted root of this mesh");
	}

	@Test
	void whenMoreChainsAreAcceptedThanTheBoundThenTheOldestAreForgotten() throws Exception {
		ValidatedChains chains = new ValidatedChains(2);
		SpiffeId id = SpiffeId.parse(WEB);
		for (int i = 0; i < 5; i++) {
			X509Certificate leaf = leaf(Function.identity(), ROOT);
			chains.remember(List.of(leaf), PeerRole.CLIENT, id, List.of(leaf));
		}
		assertThat(chains.size()).isEqualTo(2);
	}

	private void assertSameAnswerAsANewValidator(List<X509Certificate> chain, PeerRole role, String message) {
		assertThatThrownBy(() -> this.validator.validate(chain, role)).isInstanceOf(InvalidSvidException.class)
			.hasMessage(message);
		assertThatThrownBy(() -> SvidValidator.of(List.of(ROOT.certificate()), this.clock).validate(chain, role))
			.hasMessage(message);
	}

	private static X509Certificate leaf(Function<Spec, Spec> change, Issued issuer) {
		return change.apply(TestPki.leaf(WEB)).signedBy(issuer).certificate();
	}

	private static Arguments refused(String name, List<X509Certificate> chain) {
		return Arguments.of(name, chain);
	}

	private static final class SettableClock extends Clock {

		private volatile Instant now;

		SettableClock(Instant now) {
			this.now = now;
		}

		void set(Instant now) {
			this.now = now;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			throw new UnsupportedOperationException("a fixed-zone test clock");
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
