package dev.connect.pki;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;

/**
 * Key identifiers as Consul computes and compares them: the subject key identifier of a key is the SHA-256 of its
 * DER {@code SubjectPublicKeyInfo} (32 bytes), and a leaf's authority key identifier names the key that signed it.
 */
public final class KeyIdentifiers {

	private KeyIdentifiers() {
	}

	/**
	 * Computes the key identifier of a public key: SHA-256 over its {@code SubjectPublicKeyInfo} encoding.
	 * @param key the public key
	 * @return 32 bytes
	 */
	public static byte[] of(PublicKey key) {
		Objects.requireNonNull(key, "'key' must not be null");
		try {
			return MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Unable to compute key identifier: SHA-256 is not available", ex);
		}
	}

	/**
	 * Reads the subject key identifier extension of a certificate.
	 * @param certificate the certificate
	 * @return the identifier bytes, or empty if the extension is absent
	 */
	public static Optional<byte[]> subjectKeyId(X509Certificate certificate) {
		byte[] extension = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
		if (extension == null) {
			return Optional.empty();
		}
		ASN1OctetString wrapped = ASN1OctetString.getInstance(extension);
		return Optional.of(ASN1OctetString.getInstance(wrapped.getOctets()).getOctets());
	}

	/**
	 * Reads the key identifier of the authority key identifier extension of a certificate.
	 * @param certificate the certificate
	 * @return the identifier bytes, or empty if the extension or its key identifier is absent
	 */
	public static Optional<byte[]> authorityKeyId(X509Certificate certificate) {
		byte[] extension = certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId());
		if (extension == null) {
			return Optional.empty();
		}
		ASN1OctetString wrapped = ASN1OctetString.getInstance(extension);
		return Optional.ofNullable(AuthorityKeyIdentifier.getInstance(wrapped.getOctets()).getKeyIdentifierOctets());
	}

}
