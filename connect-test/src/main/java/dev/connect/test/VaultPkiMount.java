package dev.connect.test;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.connect.pki.ColonHex;
import dev.connect.pki.Pem;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.jspecify.annotations.Nullable;

/**
 * One PKI secrets engine mount of {@link VaultPkiTestServer}: keys, issuers (Vault ≥ 1.11), the default issuer,
 * roles, and real certificates signed with BouncyCastle. Every refusal is a {@link VaultError}
 * with Vault's status and message. Callers hold the server's lock.
 */
final class VaultPkiMount {

	/** Vault backdates what it signs by 30 seconds. */
	private static final Duration BACKDATE = Duration.ofSeconds(30);

	private final SecureRandom random = new SecureRandom();

	private final Map<String, KeyPair> keys = new LinkedHashMap<>();

	private final Map<String, Issuer> issuers = new LinkedHashMap<>();

	private final Map<String, Map<String, Object>> roles = new LinkedHashMap<>();

	private @Nullable String defaultIssuer;

	Duration maxLeaseTtl;

	VaultPkiMount(Duration maxLeaseTtl) {
		this.maxLeaseTtl = maxLeaseTtl;
	}

	/** An issuer: its certificate, its key's ID (empty when only the certificate was imported), the chain above. */
	record Issuer(String id, X509Certificate certificate, String keyId, List<X509Certificate> above) {

		List<X509Certificate> chain() {
			List<X509Certificate> chain = new ArrayList<>();
			chain.add(this.certificate);
			chain.addAll(this.above);
			return chain;
		}

	}

	@Nullable Issuer defaultIssuer() {
		return (this.defaultIssuer != null) ? this.issuers.get(this.defaultIssuer) : null;
	}

	@Nullable Issuer issuer(String id) {
		return this.issuers.get(id);
	}

	void setDefault(String id) {
		if (!this.issuers.containsKey(id)) {
			throw new VaultError(400, "unable to resolve issuer " + id + ": issuer reference not found");
		}
		this.defaultIssuer = id;
	}

	void putRole(String name, Map<String, Object> role) {
		this.roles.put(name, Map.copyOf(role));
	}

	@Nullable Map<String, Object> role(String name) {
		return this.roles.get(name);
	}

	Map<String, Object> generateRoot(Map<String, Object> body, Instant now) {
		String commonName = VaultParams.text(body, "common_name");
		if (commonName.isEmpty()) {
			throw new VaultError(400, "the common_name field is required, or must be provided in a CSR with \"use_csr_values\" set to true");
		}
		KeyPair key = generate(body);
		Duration ttl = ttl(body, this.maxLeaseTtl);
		X500Name subject = new X500Name("CN=" + commonName);
		X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minus(BACKDATE)),
				Date.from(now.plus(ttl)), subject, key.getPublic());
		VaultPkiCertificates.caExtensions(builder, key.getPublic(), key.getPublic(), uris(body, List.of()));
		X509Certificate root = sign(builder, key);
		Issuer issuer = addIssuer(root, addKey(key), List.of());
		this.defaultIssuer = issuer.id();
		Map<String, Object> data = certificateData(root, List.of(root));
		data.put("issuer_id", issuer.id());
		data.put("key_id", issuer.keyId());
		return data;
	}

	Map<String, Object> generateIntermediate(Map<String, Object> body) {
		KeyPair key = generate(body);
		String keyId = addKey(key);
		String commonName = VaultParams.text(body, "common_name");
		X500Name subject = commonName.isEmpty() ? new X500Name(new org.bouncycastle.asn1.x500.RDN[0])
				: new X500Name("CN=" + commonName);
		try {
			JcaPKCS10CertificationRequestBuilder csr = new JcaPKCS10CertificationRequestBuilder(subject, key.getPublic());
			List<String> uris = uris(body, List.of());
			if (!uris.isEmpty()) {
				ExtensionsGenerator extensions = new ExtensionsGenerator();
				extensions.addExtension(Extension.subjectAlternativeName, false,
						VaultPkiCertificates.names(uris, List.of()));
				csr.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
			}
			PKCS10CertificationRequest request = csr.build(signer(key));
			Map<String, Object> data = new LinkedHashMap<>();
			data.put("csr", VaultPkiCertificates.pem("CERTIFICATE REQUEST", request.getEncoded()));
			data.put("key_id", keyId);
			data.put("private_key_type", VaultPkiCertificates.keyType(key.getPublic()));
			return data;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Unable to make a CSR", ex);
		}
	}

	Map<String, Object> signIntermediate(Map<String, Object> body, Instant now) {
		Issuer issuer = signingIssuer();
		JcaPKCS10CertificationRequest csr = VaultPkiCertificates.csr(body);
		boolean useCsrValues = Boolean.parseBoolean(VaultParams.text(body, "use_csr_values"));
		String commonName = VaultParams.text(body, "common_name");
		X500Name subject = (useCsrValues || commonName.isEmpty()) ? csr.getSubject() : new X500Name("CN=" + commonName);
		PublicKey key = VaultPkiCertificates.publicKey(csr);
		Instant notAfter = notAfter(issuer, now.plus(ttl(body, this.maxLeaseTtl)));
		X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(VaultPkiCertificates.holder(issuer).getSubject(), serial(),
				Date.from(now.minus(BACKDATE)), Date.from(notAfter), subject, key);
		VaultPkiCertificates.caExtensions(builder, key, issuer.certificate().getPublicKey(), useCsrValues ? VaultPkiCertificates.csrUris(csr) : List.of());
		X509Certificate certificate = sign(builder, this.keys.get(issuer.keyId()));
		Map<String, Object> data = certificateData(certificate, issuer.chain());
		if ("pem_bundle".equals(VaultParams.text(body, "format"))) {
			data.put("certificate", Pem.encode(certificate) + Pem.encode(issuer.chain()));
		}
		return data;
	}

	Map<String, Object> setSigned(Map<String, Object> body) {
		List<X509Certificate> certificates;
		try {
			certificates = Pem.parseCertificates(VaultParams.text(body, "certificate"));
		}
		catch (IllegalArgumentException ex) {
			throw new VaultError(400, "error parsing certificate: " + ex.getMessage());
		}
		if (certificates.isEmpty()) {
			throw new VaultError(400, "no data found in PEM block");
		}
		List<String> imported = new ArrayList<>();
		Map<String, Object> mapping = new LinkedHashMap<>();
		for (int i = 0; i < certificates.size(); i++) {
			X509Certificate certificate = certificates.get(i);
			String keyId = keyIdOf(certificate.getPublicKey());
			Issuer issuer = addIssuer(certificate, keyId, certificates.subList(i + 1, certificates.size()));
			imported.add(issuer.id());
			mapping.put(issuer.id(), keyId);
		}
		if (this.defaultIssuer == null) {
			this.defaultIssuer = imported.get(0);
		}
		return new LinkedHashMap<>(Map.of("imported_issuers", imported, "imported_keys", List.of(), "mapping", mapping));
	}

	/** {@code sign/<role>} and {@code issue/<role>}: a leaf as the role allows; issue also makes the key. */
	Map<String, Object> signLeaf(String roleName, Map<String, Object> body, Instant now, boolean issue) {
		Map<String, Object> role = this.roles.get(roleName);
		if (role == null) {
			throw new VaultError(400, "unknown role: " + roleName);
		}
		Issuer issuer = signingIssuer();
		KeyPair issued = issue ? generate(Map.of("key_type", "ec", "key_bits", 256)) : null;
		JcaPKCS10CertificationRequest csr = issue ? null : VaultPkiCertificates.csr(body);
		PublicKey key = (issued != null) ? issued.getPublic() : VaultPkiCertificates.publicKey(java.util.Objects.requireNonNull(csr));
		List<String> uris = uris(body, (csr != null) ? VaultPkiCertificates.csrUris(csr) : List.of());
		String allowed = String.valueOf(role.getOrDefault("allowed_uri_sans", ""));
		for (String uri : uris) {
			if (allowed.isEmpty()) {
				throw new VaultError(400,
						"URI Subject Alternative Names are not allowed in this role, but was provided " + uri);
			}
			if (java.util.Arrays.stream(allowed.split(",")).noneMatch((glob) -> VaultPkiCertificates.glob(glob.trim(), uri))) {
				throw new VaultError(400, "URI Subject Alternative Name " + uri + " not allowed by this role");
			}
		}
		String commonName = VaultParams.text(body, "common_name");
		Duration maxTtl = VaultParams.duration(role.get("max_ttl"), this.maxLeaseTtl);
		Duration ttl = ttl(body, maxTtl);
		ttl = (ttl.compareTo(maxTtl) > 0) ? maxTtl : ttl;
		Instant notAfter = now.plus(ttl);
		if (notAfter.isAfter(issuer.certificate().getNotAfter().toInstant())) {
			throw new VaultError(400, "cannot satisfy request, as TTL would result in notAfter of "
					+ notAfter + " that is beyond the expiration of the CA certificate at "
					+ issuer.certificate().getNotAfter().toInstant());
		}
		X500Name subject = commonName.isEmpty() ? new X500Name(new org.bouncycastle.asn1.x500.RDN[0])
				: new X500Name("CN=" + commonName);
		X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(VaultPkiCertificates.holder(issuer).getSubject(), serial(),
				Date.from(now.minus(BACKDATE)), Date.from(notAfter), subject, key);
		List<String> dns = VaultParams.list(body.get("alt_names"));
		try {
			JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
			builder.addExtension(Extension.keyUsage, true, new KeyUsage(
					KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.keyAgreement));
			builder.addExtension(Extension.extendedKeyUsage, false,
					new ExtendedKeyUsage(new KeyPurposeId[] { KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth }));
			builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key));
			builder.addExtension(Extension.authorityKeyIdentifier, false,
					utils.createAuthorityKeyIdentifier(issuer.certificate().getPublicKey()));
			if (!uris.isEmpty() || !dns.isEmpty()) {
				builder.addExtension(Extension.subjectAlternativeName, subject.getRDNs().length == 0,
						VaultPkiCertificates.names(uris, dns));
			}
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new IllegalStateException("Unable to build a leaf", ex);
		}
		X509Certificate leaf = sign(builder, this.keys.get(issuer.keyId()));
		Map<String, Object> data = certificateData(leaf, issuer.chain());
		if (issued != null) {
			data.put("private_key", Pem.encodeSec1(issued.getPrivate(), issued.getPublic()));
			data.put("private_key_type", "ec");
		}
		return data;
	}

	/** {@code root/sign-self-issued}: the same certificate, issued by the default issuer. */
	Map<String, Object> signSelfIssued(Map<String, Object> body, Instant now) {
		List<X509Certificate> given;
		try {
			given = Pem.parseCertificates(VaultParams.text(body, "certificate"));
		}
		catch (IllegalArgumentException ex) {
			throw new VaultError(400, "error parsing certificate: " + ex.getMessage());
		}
		if (given.size() != 1) {
			throw new VaultError(400, "more than one certificate given, or none");
		}
		X509Certificate certificate = given.get(0);
		if (!certificate.getIssuerX500Principal().equals(certificate.getSubjectX500Principal())) {
			throw new VaultError(400, "given certificate is not self-issued");
		}
		Issuer issuer = signingIssuer();
		try {
			JcaX509CertificateHolder holder = new JcaX509CertificateHolder(certificate);
			X509v3CertificateBuilder builder = new X509v3CertificateBuilder(VaultPkiCertificates.holder(issuer).getSubject(), serial(),
					holder.getNotBefore(), Date.from(notAfter(issuer, holder.getNotAfter().toInstant())),
					holder.getSubject(), holder.getSubjectPublicKeyInfo());
			for (Object oid : holder.getExtensionOIDs()) {
				if (!Extension.authorityKeyIdentifier.equals(oid)) {
					builder.copyAndAddExtension((ASN1ObjectIdentifier) oid,
							holder.getExtension((ASN1ObjectIdentifier) oid).isCritical(), holder);
				}
			}
			builder.addExtension(Extension.authorityKeyIdentifier, false,
					new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer.certificate().getPublicKey()));
			X509Certificate signed = sign(builder, this.keys.get(issuer.keyId()));
			return new LinkedHashMap<>(Map.of("certificate", Pem.encode(signed), "issuing_ca",
					Pem.encode(issuer.certificate())));
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new VaultError(400, "unable to sign the certificate: " + ex.getMessage());
		}
	}

	private Issuer signingIssuer() {
		Issuer issuer = defaultIssuer();
		if (issuer == null || issuer.keyId().isEmpty()) {
			throw new VaultError(400, "no default issuer currently configured");
		}
		return issuer;
	}

	private static Instant notAfter(Issuer issuer, Instant wanted) {
		Instant limit = issuer.certificate().getNotAfter().toInstant();
		return wanted.isAfter(limit) ? limit : wanted;
	}

	private Issuer addIssuer(X509Certificate certificate, String keyId, List<X509Certificate> above) {
		for (Issuer existing : this.issuers.values()) {
			if (existing.certificate().equals(certificate)) {
				return existing;
			}
		}
		Issuer issuer = new Issuer(UUID.randomUUID().toString(), certificate, keyId, List.copyOf(above));
		this.issuers.put(issuer.id(), issuer);
		return issuer;
	}

	private String addKey(KeyPair key) {
		String id = UUID.randomUUID().toString();
		this.keys.put(id, key);
		return id;
	}

	private String keyIdOf(PublicKey key) {
		return this.keys.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().getPublic().equals(key))
			.map(Map.Entry::getKey)
			.findFirst()
			.orElse("");
	}

	private KeyPair generate(Map<String, Object> body) {
		String type = VaultParams.text(body, "key_type");
		int bits = (int) VaultParams.number(body.get("key_bits"));
		try {
			if (type.isEmpty() || "rsa".equals(type)) {
				KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
				generator.initialize((bits == 0) ? 2048 : bits, this.random);
				return generator.generateKeyPair();
			}
			if ("ec".equals(type)) {
				KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
				generator.initialize(new ECGenParameterSpec("secp" + ((bits == 0) ? 256 : bits) + "r1"), this.random);
				return generator.generateKeyPair();
			}
		}
		catch (GeneralSecurityException ex) {
			throw new VaultError(400, "error generating key: " + ex.getMessage());
		}
		throw new VaultError(400, "unknown key_type value: " + type);
	}

	private static Duration ttl(Map<String, Object> body, Duration fallback) {
		return VaultParams.duration(body.get("ttl"), fallback);
	}

	private static List<String> uris(Map<String, Object> body, List<String> fromCsr) {
		List<String> uris = new ArrayList<>(fromCsr);
		for (String uri : VaultParams.list(body.get("uri_sans"))) {
			if (!uris.contains(uri)) {
				uris.add(uri);
			}
		}
		return uris;
	}

	private Map<String, Object> certificateData(X509Certificate certificate, List<X509Certificate> issuerChain) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("certificate", Pem.encode(certificate));
		data.put("issuing_ca", Pem.encode(issuerChain.get(0)));
		data.put("ca_chain", issuerChain.stream().map(Pem::encode).toList());
		data.put("serial_number", ColonHex.serial(certificate.getSerialNumber()));
		data.put("expiration", certificate.getNotAfter().toInstant().getEpochSecond());
		return data;
	}

	private BigInteger serial() {
		return new BigInteger(159, this.random).setBit(152);
	}

	private ContentSigner signer(KeyPair key) {
		try {
			String algorithm = "RSA".equals(key.getPublic().getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
			return new JcaContentSignerBuilder(algorithm).setSecureRandom(this.random).build(key.getPrivate());
		}
		catch (OperatorCreationException ex) {
			throw new IllegalStateException("Unable to sign", ex);
		}
	}

	private X509Certificate sign(X509v3CertificateBuilder builder, @Nullable KeyPair key) {
		if (key == null) {
			throw new VaultError(400, "issuer has no key");
		}
		try {
			return new JcaX509CertificateConverter().getCertificate(builder.build(signer(key)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Unable to sign a certificate", ex);
		}
	}

}
