package dev.connect.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * PEM encoding and decoding of certificates and private keys in the forms Consul uses: certificates as
 * {@code CERTIFICATE} blocks, agent-generated keys as SEC1 {@code EC PRIVATE KEY}, and PKCS#8 {@code PRIVATE KEY}
 * (and PKCS#1 {@code RSA PRIVATE KEY}, which a CA configuration may carry). Encoded text uses 64-character lines
 * and ends every block with a newline, as Go's {@code pem.Encode} does. Error messages never contain key material.
 */
public final class Pem {

	private static final String CERTIFICATE = "CERTIFICATE";

	private static final String EC_PRIVATE_KEY = "EC PRIVATE KEY";

	private static final String PRIVATE_KEY = "PRIVATE KEY";

	private static final String RSA_PRIVATE_KEY = "RSA PRIVATE KEY";

	private Pem() {
	}

	/**
	 * Decodes every {@code CERTIFICATE} block of a PEM text, in order.
	 * @param pem the PEM text; text outside blocks is ignored
	 * @return the certificates, at least one
	 * @throws IllegalArgumentException if there is no certificate block, a block of another type, or a block that
	 * is not a valid X.509 certificate
	 */
	public static List<X509Certificate> parseCertificates(String pem) {
		List<PemObject> blocks = read(pem);
		if (blocks.isEmpty()) {
			throw new IllegalArgumentException("PEM text contains no 'CERTIFICATE' block");
		}
		try {
			CertificateFactory factory = CertificateFactory.getInstance("X.509");
			List<X509Certificate> certificates = new ArrayList<>(blocks.size());
			for (PemObject block : blocks) {
				if (!CERTIFICATE.equals(block.getType())) {
					throw new IllegalArgumentException(
							"PEM block of type '" + block.getType() + "' found where only 'CERTIFICATE' is allowed");
				}
				certificates.add((X509Certificate) factory
					.generateCertificate(new ByteArrayInputStream(block.getContent())));
			}
			return List.copyOf(certificates);
		}
		catch (CertificateException ex) {
			throw new IllegalArgumentException("Unable to decode PEM certificate: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Decodes the single private key of a PEM text: SEC1 {@code EC PRIVATE KEY}, PKCS#8 {@code PRIVATE KEY} or
	 * PKCS#1 {@code RSA PRIVATE KEY}.
	 * @param pem the PEM text
	 * @return the private key
	 * @throws IllegalArgumentException if the text holds no key, more than one block, an encrypted key or a key of
	 * another form
	 */
	public static PrivateKey parsePrivateKey(String pem) {
		List<PemObject> blocks = read(pem);
		if (blocks.size() != 1) {
			throw new IllegalArgumentException(
					"PEM text must contain exactly one private key block, found " + blocks.size() + " blocks");
		}
		PemObject block = blocks.get(0);
		String type = block.getType();
		if (!type.equals(EC_PRIVATE_KEY) && !type.equals(PRIVATE_KEY) && !type.equals(RSA_PRIVATE_KEY)) {
			throw new IllegalArgumentException("PEM block of type '" + type
					+ "' is not a private key; allowed are 'EC PRIVATE KEY', 'PRIVATE KEY' and 'RSA PRIVATE KEY'");
		}
		try {
			return switch (type) {
				case EC_PRIVATE_KEY -> fromPkcs8("EC", sec1ToPkcs8(block.getContent()));
				case RSA_PRIVATE_KEY -> fromPkcs8("RSA", new PrivateKeyInfo(
						new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
						RSAPrivateKey.getInstance(block.getContent()))
					.getEncoded());
				default -> fromPkcs8(algorithmOf(block.getContent()), block.getContent());
			};
		}
		catch (IOException | GeneralSecurityException | RuntimeException ex) {
			// The cause's message is kept out: a parser may quote the bytes it choked on.
			throw new IllegalArgumentException("Unable to decode PEM private key of type '" + type
					+ "': it must be an unencrypted EC or RSA key", ex);
		}
	}

	/**
	 * Decodes the single private key of a PEM text, as {@link #parsePrivateKey(String)}, with its public key.
	 * @param pem the PEM text
	 * @return the key pair
	 * @throws IllegalArgumentException as {@link #parsePrivateKey(String)}
	 */
	public static java.security.KeyPair parseKeyPair(String pem) {
		PrivateKey privateKey = parsePrivateKey(pem);
		return new java.security.KeyPair(PublicKeys.of(privateKey), privateKey);
	}

	/**
	 * Encodes a certificate as one {@code CERTIFICATE} block.
	 * @param certificate the certificate
	 * @return the PEM text, ending with a newline
	 */
	public static String encode(X509Certificate certificate) {
		try {
			return block(CERTIFICATE, certificate.getEncoded());
		}
		catch (CertificateEncodingException ex) {
			throw new IllegalArgumentException("Unable to encode certificate '"
					+ certificate.getSubjectX500Principal() + "' as PEM", ex);
		}
	}

	/**
	 * Encodes certificates as consecutive {@code CERTIFICATE} blocks, in order.
	 * @param certificates the certificates
	 * @return the PEM text
	 */
	public static String encode(List<X509Certificate> certificates) {
		StringBuilder pem = new StringBuilder();
		certificates.forEach((certificate) -> pem.append(encode(certificate)));
		return pem.toString();
	}

	/**
	 * Encodes an EC private key as SEC1 {@code EC PRIVATE KEY}, with the named curve and the public key, exactly
	 * the form Consul's agent returns for leaf keys.
	 * @param privateKey an EC private key on a named curve
	 * @param publicKey its public key
	 * @return the PEM text
	 */
	public static String encodeSec1(PrivateKey privateKey, PublicKey publicKey) {
		Objects.requireNonNull(privateKey, "'privateKey' must not be null");
		Objects.requireNonNull(publicKey, "'publicKey' must not be null");
		if (!(privateKey instanceof ECPrivateKey ecKey)) {
			throw new IllegalArgumentException(
					"Private key of algorithm '" + privateKey.getAlgorithm() + "' cannot be encoded as SEC1; only EC");
		}
		try {
			PrivateKeyInfo info = PrivateKeyInfo.getInstance(privateKey.getEncoded());
			ASN1Encodable curve = info.getPrivateKeyAlgorithm().getParameters();
			org.bouncycastle.asn1.sec.ECPrivateKey inner = org.bouncycastle.asn1.sec.ECPrivateKey
				.getInstance(info.parsePrivateKey());
			org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
					ecKey.getParams().getOrder().bitLength(), inner.getKey(),
					SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()).getPublicKeyData(), curve);
			return block(EC_PRIVATE_KEY, sec1.getEncoded());
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("Unable to encode EC private key as SEC1", ex);
		}
	}

	/**
	 * Encodes a private key as PKCS#8 {@code PRIVATE KEY}.
	 * @param privateKey the private key
	 * @return the PEM text
	 */
	public static String encodePkcs8(PrivateKey privateKey) {
		return block(PRIVATE_KEY, privateKey.getEncoded());
	}

	private static List<PemObject> read(String pem) {
		Objects.requireNonNull(pem, "'pem' must not be null");
		List<PemObject> blocks = new ArrayList<>();
		try (PemReader reader = new PemReader(new StringReader(pem))) {
			for (PemObject block = reader.readPemObject(); block != null; block = reader.readPemObject()) {
				blocks.add(block);
			}
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalArgumentException("Unable to read PEM text: " + ex.getMessage(), ex);
		}
		return blocks;
	}

	private static byte[] sec1ToPkcs8(byte[] sec1) throws IOException {
		org.bouncycastle.asn1.sec.ECPrivateKey key = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(sec1);
		if (key.getParametersObject() == null) {
			throw new IllegalStateException("SEC1 'EC PRIVATE KEY' must name its curve");
		}
		AlgorithmIdentifier algorithm = new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey,
				key.getParametersObject());
		return new PrivateKeyInfo(algorithm, key).getEncoded();
	}

	private static String algorithmOf(byte[] pkcs8) {
		String oid = PrivateKeyInfo.getInstance(pkcs8).getPrivateKeyAlgorithm().getAlgorithm().getId();
		if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey.getId())) {
			return "EC";
		}
		if (oid.equals(PKCSObjectIdentifiers.rsaEncryption.getId())) {
			return "RSA";
		}
		throw new IllegalStateException("PKCS#8 key algorithm '" + oid + "' is not supported; allowed are EC and RSA");
	}

	private static PrivateKey fromPkcs8(String algorithm, byte[] pkcs8) throws GeneralSecurityException {
		return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
	}

	private static String block(String type, byte[] der) {
		String body = Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der);
		return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
	}

}
