package dev.connect.pki;

import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CertificateParsingException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.connect.identity.SpiffeId;

/**
 * Validates a peer's certificate chain as an X.509-SVID of this mesh. It is the one place these rules live; the
 * server trust manager, the client verifier and the proxy all call it. The rules, in the order applied:
 * <ol>
 * <li>the chain is not empty, and its first certificate (the leaf) is within its validity period;</li>
 * <li>RFC 5280 path validation (JDK PKIX, revocation off) finds a path from the leaf to one of the roots, using
 * the other presented certificates as candidate intermediates, at the clock's current time;</li>
 * <li>the leaf has exactly one URI SAN, a SPIFFE ID with a non-empty path;</li>
 * <li>the leaf is not a CA; it has a key usage with {@code digitalSignature} and without {@code keyCertSign} and
 * {@code cRLSign}; its extended key usage, when present, names the peer's role ({@code clientAuth} for a client,
 * {@code serverAuth} for a server);</li>
 * <li>every intermediate on the validated path is a CA with {@code keyCertSign} whose single URI SAN is a SPIFFE ID
 * without a path;</li>
 * <li>the leaf is not itself one of the roots: a trust anchor is never a peer's identity.</li>
 * </ol>
 * Rules 3 to 6 reject what the JDK's PKIX accepts (it accepts a trust anchor as its own one-certificate path).
 * Every root must be a CA certificate: {@code cA=true}, a key usage with {@code keyCertSign}, and self-issued; a
 * root need not carry a SPIFFE ID (other providers' roots, such as Vault's, do not). Instances are thread-safe and
 * their answers depend only on the roots, the chain, the role and the clock: build one per set of roots and reuse it
 * for every handshake. An instance remembers the chains it accepted (at most 1024,
 * by their exact bytes and the role) and answers a repeated chain by checking again only what depends on time, the
 * validity period of every certificate on its validated path; a refused chain is never remembered, and a new
 * instance (a new trust bundle) starts with none.
 */
public final class SvidValidator {

	static final String NO_CERTIFICATE = "Peer presented no certificate";

	static final String NO_ROOTS = "Trust bundle must contain at least one root certificate";

	static final String ROOT_NOT_CA = "Root certificate %s is not a CA (basicConstraints cA=true is required of a trust anchor)";

	static final String ROOT_CANNOT_SIGN = "Root certificate %s key usage lacks keyCertSign; a trust anchor must be allowed to sign certificates";

	static final String ROOT_NOT_SELF_ISSUED = "Root certificate %s is not self-issued (issuer '%s'); a trust anchor's issuer is its subject";

	static final String LEAF_IS_ROOT = "Certificate %s is a trust anchor of this mesh; a root is never a peer's identity";

	static final String EXPIRED = "Certificate %s expired at %s";

	static final String NOT_YET_VALID = "Certificate %s is not valid before %s";

	static final String NOT_TRUSTED = "Certificate %s does not chain to a trusted root of this mesh: %s";

	static final String NO_SAN = "Certificate %s has no subject alternative names; an X.509-SVID needs exactly one URI SAN";

	static final String URI_COUNT = "Certificate %s has %d URI SANs; an X.509-SVID needs exactly one";

	static final String INVALID_ID = "Certificate %s has a URI SAN that is not a valid SPIFFE ID: %s";

	static final String LEAF_WITHOUT_PATH = "Leaf certificate %s has SPIFFE ID '%s' without a path; a workload ID needs one";

	static final String LEAF_IS_CA = "Leaf certificate %s is a CA (basicConstraints cA=true); a leaf must not be";

	static final String LEAF_NO_KEY_USAGE = "Leaf certificate %s has no key usage; digitalSignature is required";

	static final String LEAF_NO_DIGITAL_SIGNATURE = "Leaf certificate %s key usage lacks digitalSignature";

	static final String LEAF_CAN_SIGN = "Leaf certificate %s key usage allows keyCertSign or cRLSign; a leaf must not";

	static final String LEAF_WRONG_USAGE = "Leaf certificate %s extended key usage does not allow %s";

	static final String INTERMEDIATE_NOT_CA = "Intermediate certificate %s is not a CA";

	static final String INTERMEDIATE_CANNOT_SIGN = "Intermediate certificate %s key usage lacks keyCertSign";

	static final String INTERMEDIATE_WITH_PATH = "Intermediate certificate %s has SPIFFE ID '%s' with a path; a signing certificate's ID has none";

	private static final int SAN_URI = 6;

	private static final int DIGITAL_SIGNATURE = 0;

	private static final int KEY_CERT_SIGN = 5;

	private static final int CRL_SIGN = 6;

	private final List<X509Certificate> roots;

	private final Set<TrustAnchor> anchors;

	private final Clock clock;

	private final ValidatedChains validated = new ValidatedChains();

	private SvidValidator(List<X509Certificate> roots, Clock clock) {
		this.roots = roots;
		this.anchors = new LinkedHashSet<>();
		roots.forEach((root) -> this.anchors.add(new TrustAnchor(root, null)));
		this.clock = clock;
	}

	/**
	 * Creates a validator for a trust bundle.
	 * @param roots the trusted root certificates (Consul: every {@code RootCert} of the roots endpoint, active and
	 * rotated out)
	 * @param clock the clock that decides validity periods
	 * @return the validator
	 * @throws IllegalArgumentException if {@code roots} is empty or a root is not a CA certificate: not
	 * {@code cA=true}, without {@code keyCertSign}, or not self-issued
	 */
	public static SvidValidator of(Collection<X509Certificate> roots, Clock clock) {
		Objects.requireNonNull(roots, "'roots' must not be null");
		Objects.requireNonNull(clock, "'clock' must not be null");
		if (roots.isEmpty()) {
			throw new IllegalArgumentException(NO_ROOTS);
		}
		roots.forEach(SvidValidator::checkRoot);
		return new SvidValidator(List.copyOf(roots), clock);
	}

	/**
	 * Checks that a certificate may be a trust anchor: a CA ({@code cA=true}) whose key usage includes
	 * {@code keyCertSign}, and self-issued. Validity is not checked here: see {@link #checkValidAt}.
	 * @param root the certificate
	 * @throws IllegalArgumentException naming the certificate and what it lacks
	 */
	public static void checkRoot(X509Certificate root) {
		Objects.requireNonNull(root, "'root' must not be null");
		if (root.getBasicConstraints() == -1) {
			throw new IllegalArgumentException(String.format(ROOT_NOT_CA, describe(root)));
		}
		boolean[] keyUsage = root.getKeyUsage();
		if (keyUsage == null || !bit(keyUsage, KEY_CERT_SIGN)) {
			throw new IllegalArgumentException(String.format(ROOT_CANNOT_SIGN, describe(root)));
		}
		if (!root.getIssuerX500Principal().equals(root.getSubjectX500Principal())) {
			throw new IllegalArgumentException(
					String.format(ROOT_NOT_SELF_ISSUED, describe(root), root.getIssuerX500Principal().getName()));
		}
	}

	/**
	 * Checks that a certificate is within its validity period at an instant.
	 * @param certificate the certificate
	 * @param now the instant
	 * @throws InvalidSvidException naming the certificate and the end or start of its validity
	 */
	public static void checkValidAt(X509Certificate certificate, Instant now) throws InvalidSvidException {
		checkValidityPeriod(certificate, now);
	}

	/**
	 * Returns the roots this validator trusts.
	 * @return the roots, in the order given
	 */
	public List<X509Certificate> roots() {
		return this.roots;
	}

	/**
	 * Validates a peer's chain and returns its SPIFFE ID.
	 * @param chain the certificates the peer presented, leaf first
	 * @param role the role of the peer
	 * @return the SPIFFE ID of the leaf, valid only after every rule passed
	 * @throws InvalidSvidException naming the certificate and the rule it breaks
	 */
	public SpiffeId validate(List<X509Certificate> chain, PeerRole role) throws InvalidSvidException {
		Objects.requireNonNull(role, "'role' must not be null");
		if (chain == null || chain.isEmpty()) {
			throw new InvalidSvidException(NO_CERTIFICATE);
		}
		Instant now = this.clock.instant();
		SpiffeId known = this.validated.lookup(chain, role, now);
		if (known != null) {
			return known;
		}
		X509Certificate leaf = chain.get(0);
		if (this.roots.contains(leaf)) {
			throw failure(LEAF_IS_ROOT, describe(leaf));
		}
		checkValidityPeriod(leaf, now);
		List<X509Certificate> path = buildPath(leaf, chain, now);
		if (path.isEmpty()) {
			// PKIX found the leaf to be a trust anchor itself (same subject and key as a root).
			throw failure(LEAF_IS_ROOT, describe(leaf));
		}
		SpiffeId id = checkLeaf(leaf, role);
		for (int i = 1; i < path.size(); i++) {
			checkIntermediate(path.get(i));
		}
		this.validated.remember(chain, role, id, path);
		return id;
	}

	long rememberedChains() {
		return this.validated.size();
	}

	private static void checkValidityPeriod(X509Certificate certificate, Instant now) throws InvalidSvidException {
		if (now.isAfter(certificate.getNotAfter().toInstant())) {
			throw failure(EXPIRED, describe(certificate), certificate.getNotAfter().toInstant());
		}
		if (now.isBefore(certificate.getNotBefore().toInstant())) {
			throw failure(NOT_YET_VALID, describe(certificate), certificate.getNotBefore().toInstant());
		}
	}

	@SuppressWarnings("unchecked")
	private List<X509Certificate> buildPath(X509Certificate leaf, List<X509Certificate> chain, Instant now)
			throws InvalidSvidException {
		try {
			X509CertSelector target = new X509CertSelector();
			target.setCertificate(leaf);
			PKIXBuilderParameters parameters = new PKIXBuilderParameters(this.anchors, target);
			parameters.setRevocationEnabled(false);
			parameters.setDate(Date.from(now));
			parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(chain)));
			PKIXCertPathBuilderResult result = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX")
				.build(parameters);
			return (List<X509Certificate>) result.getCertPath().getCertificates();
		}
		catch (CertPathBuilderException ex) {
			throw new InvalidSvidException(String.format(NOT_TRUSTED, describe(leaf), ex.getMessage()), ex);
		}
		catch (InvalidAlgorithmParameterException | NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Unable to set up PKIX path building", ex);
		}
	}

	private static SpiffeId checkLeaf(X509Certificate leaf, PeerRole role) throws InvalidSvidException {
		SpiffeId id = spiffeIdOf(leaf);
		if (id.path().isEmpty()) {
			throw failure(LEAF_WITHOUT_PATH, describe(leaf), id);
		}
		if (leaf.getBasicConstraints() != -1) {
			throw failure(LEAF_IS_CA, describe(leaf));
		}
		boolean[] keyUsage = leaf.getKeyUsage();
		if (keyUsage == null) {
			throw failure(LEAF_NO_KEY_USAGE, describe(leaf));
		}
		if (!bit(keyUsage, DIGITAL_SIGNATURE)) {
			throw failure(LEAF_NO_DIGITAL_SIGNATURE, describe(leaf));
		}
		if (bit(keyUsage, KEY_CERT_SIGN) || bit(keyUsage, CRL_SIGN)) {
			throw failure(LEAF_CAN_SIGN, describe(leaf));
		}
		List<String> extendedKeyUsage = extendedKeyUsage(leaf);
		if (extendedKeyUsage != null && !extendedKeyUsage.contains(role.oid())) {
			throw failure(LEAF_WRONG_USAGE, describe(leaf), role.usage());
		}
		return id;
	}

	private static void checkIntermediate(X509Certificate intermediate) throws InvalidSvidException {
		if (intermediate.getBasicConstraints() == -1) {
			throw failure(INTERMEDIATE_NOT_CA, describe(intermediate));
		}
		boolean[] keyUsage = intermediate.getKeyUsage();
		if (keyUsage == null || !bit(keyUsage, KEY_CERT_SIGN)) {
			throw failure(INTERMEDIATE_CANNOT_SIGN, describe(intermediate));
		}
		SpiffeId id = spiffeIdOf(intermediate);
		if (!id.path().isEmpty()) {
			throw failure(INTERMEDIATE_WITH_PATH, describe(intermediate), id);
		}
	}

	/**
	 * Reads the single URI SAN of a certificate as a SPIFFE ID, enforcing "exactly one URI SAN". It does not
	 * validate the chain: use it only on certificates a handshake already validated.
	 * @param certificate the certificate
	 * @return the SPIFFE ID
	 * @throws InvalidSvidException when the certificate does not have exactly one valid SPIFFE URI SAN
	 */
	public static SpiffeId spiffeIdOf(X509Certificate certificate) throws InvalidSvidException {
		Collection<List<?>> names;
		try {
			names = certificate.getSubjectAlternativeNames();
		}
		catch (CertificateParsingException ex) {
			throw new InvalidSvidException(String.format(INVALID_ID, describe(certificate), ex.getMessage()), ex);
		}
		if (names == null) {
			throw failure(NO_SAN, describe(certificate));
		}
		List<String> uris = new ArrayList<>(1);
		for (List<?> name : names) {
			if (Integer.valueOf(SAN_URI).equals(name.get(0))) {
				uris.add((String) name.get(1));
			}
		}
		if (uris.size() != 1) {
			throw failure(URI_COUNT, describe(certificate), uris.size());
		}
		try {
			return SpiffeId.parse(uris.get(0));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidSvidException(String.format(INVALID_ID, describe(certificate), ex.getMessage()), ex);
		}
	}

	private static List<String> extendedKeyUsage(X509Certificate certificate) throws InvalidSvidException {
		try {
			return certificate.getExtendedKeyUsage();
		}
		catch (CertificateParsingException ex) {
			throw new InvalidSvidException("Certificate " + describe(certificate)
					+ " has an extended key usage that cannot be parsed", ex);
		}
	}

	private static boolean bit(boolean[] bits, int index) {
		return index < bits.length && bits[index];
	}

	/**
	 * Names a certificate in messages by its serial and, when present, its subject.
	 */
	static String describe(X509Certificate certificate) {
		String subject = certificate.getSubjectX500Principal().getName();
		String serial = ColonHex.serial(certificate.getSerialNumber().abs());
		return subject.isEmpty() ? "with serial '" + serial + "'"
				: "'" + subject + "' with serial '" + serial + "'";
	}

	private static InvalidSvidException failure(String template, Object... args) {
		return new InvalidSvidException(String.format(template, args));
	}

}
