package dev.connect.pki;

import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
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

class SvidValidatorTests {

	private static final String TD = "11111111-2222-3333-4444-555555555555.consul";

	private static final String WEB = "spiffe://" + TD + "/ns/default/dc/dc1/svc/web";

	private static final Issued ROOT = TestPki.root(TD);

	private final SvidValidator validator = SvidValidator.of(List.of(ROOT.certificate()),
			Clock.fixed(TestPki.NOW, ZoneOffset.UTC));

	@Test
	void whenLeafIsSignedByRootThenItsSpiffeIdIsReturnedForBothRoles() throws Exception {
		X509Certificate leaf = TestPki.leaf(WEB).signedBy(ROOT).certificate();
		assertThat(this.validator.validate(List.of(leaf), PeerRole.CLIENT)).isEqualTo(SpiffeId.parse(WEB));
		assertThat(this.validator.validate(List.of(leaf), PeerRole.SERVER)).isEqualTo(SpiffeId.parse(WEB));
	}

	@Test
	void whenLeafIsSignedThroughAnIntermediateThenThePathIsBuiltFromThePresentedChain() throws Exception {
		Issued intermediate = new Spec("CN=intermediate").uris("spiffe://" + TD)
			.ca(0)
			.keyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
			.signedBy(ROOT);
		X509Certificate leaf = TestPki.leaf(WEB).signedBy(intermediate).certificate();
		assertThat(this.validator.validate(List.of(leaf, intermediate.certificate()), PeerRole.CLIENT))
			.hasToString(WEB);
	}

	@Test
	void whenChainIsEmptyThenValidationFails() {
		assertThatThrownBy(() -> this.validator.validate(List.of(), PeerRole.CLIENT))
			.isInstanceOf(InvalidSvidException.class)
			.hasMessage(SvidValidator.NO_CERTIFICATE);
	}

	@Test
	void whenBundleIsEmptyThenValidatorCannotBeCreated() {
		assertThatThrownBy(() -> SvidValidator.of(List.of(), Clock.systemUTC()))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage(SvidValidator.NO_ROOTS);
	}

	@Test
	void whenLeafComesFromAnotherCaThenValidationFails() {
		Issued otherRoot = TestPki.root(TD);
		X509Certificate leaf = TestPki.leaf(WEB).signedBy(otherRoot).certificate();
		assertThatThrownBy(() -> this.validator.validate(List.of(leaf, otherRoot.certificate()), PeerRole.CLIENT))
			.isInstanceOf(InvalidSvidException.class)
			.hasMessageStartingWith("Certificate with serial '" + serialOf(leaf)
					+ "' does not chain to a trusted root of this mesh: ");
	}

	@Test
	void whenLeafHasExpiredThenValidationFailsNamingTheExpiry() {
		X509Certificate leaf = TestPki.leaf(WEB)
			.validity(TestPki.NOW.minus(Duration.ofDays(3)), TestPki.NOW.minusSeconds(1))
			.signedBy(ROOT)
			.certificate();
		assertThatThrownBy(() -> this.validator.validate(List.of(leaf), PeerRole.SERVER))
			.hasMessage("Certificate with serial '" + serialOf(leaf) + "' expired at "
					+ TestPki.NOW.minusSeconds(1));
	}

	@Test
	void whenLeafIsNotYetValidThenValidationFails() {
		X509Certificate leaf = TestPki.leaf(WEB)
			.validity(TestPki.NOW.plusSeconds(60), TestPki.NOW.plus(Duration.ofDays(1)))
			.signedBy(ROOT)
			.certificate();
		assertThatThrownBy(() -> this.validator.validate(List.of(leaf), PeerRole.SERVER))
			.hasMessage("Certificate with serial '" + serialOf(leaf) + "' is not valid before "
					+ TestPki.NOW.plusSeconds(60));
	}

	@Test
	void whenIntermediateHasExpiredThenValidationFails() {
		Issued intermediate = new Spec("CN=old intermediate").uris("spiffe://" + TD)
			.ca(0)
			.keyUsage(KeyUsage.keyCertSign)
			.validity(TestPki.NOW.minus(Duration.ofDays(9)), TestPki.NOW.minus(Duration.ofDays(2)))
			.signedBy(ROOT);
		X509Certificate leaf = TestPki.leaf(WEB).signedBy(intermediate).certificate();
		assertThatThrownBy(() -> this.validator.validate(List.of(leaf, intermediate.certificate()), PeerRole.CLIENT))
			.hasMessageContaining("does not chain to a trusted root of this mesh");
	}

	/**
	 * Leaves that the JDK's own PKIX accepts and the X.509-SVID rules reject, with the exact message.
	 */
	static Stream<Arguments> leavesTheJdkAccepts() {
		return Stream.of(
				row("leaf is a CA", (spec) -> spec.ca(-1), SvidValidator.LEAF_IS_CA),
				row("leaf has no key usage", Spec::noKeyUsage, SvidValidator.LEAF_NO_KEY_USAGE),
				row("leaf key usage lacks digitalSignature", (spec) -> spec.keyUsage(KeyUsage.keyEncipherment),
						SvidValidator.LEAF_NO_DIGITAL_SIGNATURE),
				row("leaf may sign certificates",
						(spec) -> spec.keyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign),
						SvidValidator.LEAF_CAN_SIGN),
				row("leaf may sign CRLs", (spec) -> spec.keyUsage(KeyUsage.digitalSignature | KeyUsage.cRLSign),
						SvidValidator.LEAF_CAN_SIGN),
				row("leaf has two URI SANs", (spec) -> spec.uris(WEB + "2"), SvidValidator.URI_COUNT, 2),
				row("leaf has only a DNS SAN", (spec) -> spec.noNames().dnsNames("web.service.consul"),
						SvidValidator.URI_COUNT, 0),
				row("leaf has no SAN extension", (spec) -> spec.subject("CN=web").noNames(), SvidValidator.NO_SAN),
				row("leaf ID has no path", (spec) -> spec.noNames().uris("spiffe://" + TD),
						SvidValidator.LEAF_WITHOUT_PATH, "spiffe://" + TD));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("leavesTheJdkAccepts")
	void whenLeafBreaksAnSvidRuleThenValidationFailsThoughTheJdkAccepts(String name, UnaryOperator<Spec> change,
			String message, Object[] extra) throws Exception {
		X509Certificate leaf = change.apply(TestPki.leaf(WEB)).signedBy(ROOT).certificate();
		assertThat(jdkAccepts(List.of(leaf))).as("the JDK's PKIX accepts it").isTrue();
		Object[] args = Stream.concat(Stream.of(SvidValidator.describe(leaf)), Stream.of(extra)).toArray();
		assertThatThrownBy(() -> this.validator.validate(List.of(leaf), PeerRole.CLIENT))
			.isInstanceOf(InvalidSvidException.class)
			.hasMessage(String.format(message, args));
	}

	@Test
	void whenLeafUriSanIsNotASpiffeIdThenValidationFailsWithTheParserMessage() throws Exception {
		X509Certificate leaf = TestPki.leaf("https://web.example.org/").signedBy(ROOT).certificate();
		assertThat(jdkAccepts(List.of(leaf))).isTrue();
		assertThatThrownBy(() -> this.validator.validate(List.of(leaf), PeerRole.CLIENT))
			.hasMessage("Certificate with serial '" + serialOf(leaf) + "' has a URI SAN that is not a valid SPIFFE ID: "
					+ "SPIFFE ID 'https://web.example.org/' must start with 'spiffe://'");
	}

	@Test
	void whenExtendedKeyUsageDoesNotAllowTheRoleThenValidationFails() throws Exception {
		X509Certificate serverOnly = TestPki.leaf(WEB)
			.extendedKeyUsage(KeyPurposeId.id_kp_serverAuth)
			.signedBy(ROOT)
			.certificate();
		assertThat(this.validator.validate(List.of(serverOnly), PeerRole.SERVER)).hasToString(WEB);
		assertThatThrownBy(() -> this.validator.validate(List.of(serverOnly), PeerRole.CLIENT))
			.hasMessage("Leaf certificate with serial '" + serialOf(serverOnly)
					+ "' extended key usage does not allow clientAuth");
		X509Certificate clientOnly = TestPki.leaf(WEB)
			.extendedKeyUsage(KeyPurposeId.id_kp_clientAuth)
			.signedBy(ROOT)
			.certificate();
		assertThatThrownBy(() -> this.validator.validate(List.of(clientOnly), PeerRole.SERVER))
			.hasMessageEndingWith("extended key usage does not allow serverAuth");
	}

	@Test
	void whenLeafHasNoExtendedKeyUsageThenEitherRoleIsAllowed() throws Exception {
		X509Certificate leaf = TestPki.leaf(WEB).noExtendedKeyUsage().signedBy(ROOT).certificate();
		assertThat(this.validator.validate(List.of(leaf), PeerRole.CLIENT)).hasToString(WEB);
		assertThat(this.validator.validate(List.of(leaf), PeerRole.SERVER)).hasToString(WEB);
	}

	@Test
	void whenIntermediateHasNoKeyUsageThenValidationFailsThoughTheJdkAccepts() throws Exception {
		Issued intermediate = new Spec("CN=no usage").uris("spiffe://" + TD).ca(0).noKeyUsage().signedBy(ROOT);
		X509Certificate leaf = TestPki.leaf(WEB).signedBy(intermediate).certificate();
		List<X509Certificate> chain = List.of(leaf, intermediate.certificate());
		assertThat(jdkAccepts(chain)).isTrue();
		assertThatThrownBy(() -> this.validator.validate(chain, PeerRole.CLIENT))
			.hasMessage("Intermediate certificate 'CN=no usage' with serial '" + serialOf(intermediate.certificate())
					+ "' key usage lacks keyCertSign");
	}

	@Test
	void whenIntermediateIdHasAPathThenValidationFailsThoughTheJdkAccepts() throws Exception {
		Issued intermediate = new Spec("CN=workload ca").uris(WEB)
			.ca(0)
			.keyUsage(KeyUsage.keyCertSign)
			.signedBy(ROOT);
		X509Certificate leaf = TestPki.leaf(WEB).signedBy(intermediate).certificate();
		List<X509Certificate> chain = List.of(leaf, intermediate.certificate());
		assertThat(jdkAccepts(chain)).isTrue();
		assertThatThrownBy(() -> this.validator.validate(chain, PeerRole.CLIENT))
			.hasMessage("Intermediate certificate 'CN=workload ca' with serial '"
					+ serialOf(intermediate.certificate()) + "' has SPIFFE ID '" + WEB
					+ "' with a path; a signing certificate's ID has none");
	}

	@Test
	void whenIntermediateHasNoSpiffeIdThenValidationFails() throws Exception {
		Issued intermediate = new Spec("CN=anonymous ca").ca(0).keyUsage(KeyUsage.keyCertSign).signedBy(ROOT);
		X509Certificate leaf = TestPki.leaf(WEB).signedBy(intermediate).certificate();
		List<X509Certificate> chain = List.of(leaf, intermediate.certificate());
		assertThat(jdkAccepts(chain)).isTrue();
		assertThatThrownBy(() -> this.validator.validate(chain, PeerRole.CLIENT))
			.hasMessageEndingWith("has no subject alternative names; an X.509-SVID needs exactly one URI SAN");
	}

	@Test
	void whenAnIntermediateIsNotACaThenValidationFails() {
		Issued notCa = new Spec("CN=not a ca").uris("spiffe://" + TD)
			.leafBasicConstraints()
			.keyUsage(KeyUsage.digitalSignature)
			.signedBy(ROOT);
		X509Certificate leaf = TestPki.leaf(WEB).signedBy(notCa).certificate();
		assertThatThrownBy(() -> this.validator.validate(List.of(leaf, notCa.certificate()), PeerRole.CLIENT))
			.isInstanceOf(InvalidSvidException.class);
	}

	@Test
	void whenTheChainCarriesUnrelatedCertificatesThenOnlyTheValidatedPathCounts() throws Exception {
		Issued stranger = new Spec("CN=stranger").uris("spiffe://other.example").ca(-1).selfSigned();
		X509Certificate leaf = TestPki.leaf(WEB).signedBy(ROOT).certificate();
		assertThat(this.validator.validate(List.of(leaf, stranger.certificate()), PeerRole.CLIENT)).hasToString(WEB);
	}

	private static Arguments row(String name, UnaryOperator<Spec> change, String message, Object... extra) {
		return Arguments.of(name, change, message, extra);
	}

	private static String serialOf(X509Certificate certificate) {
		return ColonHex.serial(certificate.getSerialNumber());
	}

	private static boolean jdkAccepts(List<X509Certificate> chain) {
		try {
			PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ROOT.certificate(), null)));
			parameters.setRevocationEnabled(false);
			parameters.setDate(Date.from(TestPki.NOW));
			CertPathValidator.getInstance("PKIX")
				.validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
			return true;
		}
		catch (Exception ex) {
			return false;
		}
	}


	static Stream<Arguments> rootsThatAreNotCas() {
		return Stream.of(
				Arguments.of("a leaf-shaped certificate", TestPki.leaf(WEB).subject("CN=leaf-as-root").selfSigned().certificate(),
						SvidValidator.ROOT_NOT_CA),
				Arguments.of("a CA without keyCertSign",
						new Spec("CN=no-sign").uris("spiffe://" + TD)
							.ca(-1)
							.keyUsage(KeyUsage.digitalSignature | KeyUsage.cRLSign)
							.selfSigned()
							.certificate(),
						SvidValidator.ROOT_CANNOT_SIGN),
				Arguments.of("a CA without key usage",
						new Spec("CN=no-usage").uris("spiffe://" + TD).ca(-1).noKeyUsage().selfSigned().certificate(),
						SvidValidator.ROOT_CANNOT_SIGN));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rootsThatAreNotCas")
	void whenARootIsNotACaCertificateThenNoValidatorTrustsIt(String name, X509Certificate root, String message) {
		assertThatThrownBy(() -> SvidValidator.of(List.of(ROOT.certificate(), root), Clock.systemUTC()))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage(String.format(message, SvidValidator.describe(root)));
	}

	@Test
	void whenARootIsNotSelfIssuedThenNoValidatorTrustsIt() {
		X509Certificate intermediate = new Spec("CN=intermediate").uris("spiffe://" + TD)
			.ca(0)
			.keyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
			.signedBy(ROOT)
			.certificate();
		assertThatThrownBy(() -> SvidValidator.of(List.of(intermediate), Clock.systemUTC()))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage(String.format(SvidValidator.ROOT_NOT_SELF_ISSUED, SvidValidator.describe(intermediate),
					ROOT.certificate().getSubjectX500Principal().getName()));
	}

	@Test
	void whenARootCarriesNoSpiffeIdThenItIsStillTrusted() throws Exception {
		Issued vaultRoot = new Spec("CN=Vault Root").noNames()
			.ca(-1)
			.keyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
			.validity(TestPki.NOW.minusSeconds(3600), TestPki.NOW.plusSeconds(3600))
			.selfSigned();
		SvidValidator validator = SvidValidator.of(List.of(vaultRoot.certificate()),
				Clock.fixed(TestPki.NOW, ZoneOffset.UTC));
		X509Certificate leaf = TestPki.leaf(WEB).signedBy(vaultRoot).certificate();
		assertThat(validator.validate(List.of(leaf), PeerRole.CLIENT)).isEqualTo(SpiffeId.parse(WEB));
	}

	@Test
	void whenAPeerPresentsATrustAnchorItselfThenItIsNotAnIdentityInEitherRole() {
		X509Certificate root = ROOT.certificate();
		for (PeerRole role : PeerRole.values()) {
			assertThatThrownBy(() -> this.validator.validate(List.of(root), role)).isInstanceOf(InvalidSvidException.class)
				.hasMessage(String.format(SvidValidator.LEAF_IS_ROOT, SvidValidator.describe(root)));
		}
	}

}
