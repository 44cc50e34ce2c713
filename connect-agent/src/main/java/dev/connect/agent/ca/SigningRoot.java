package dev.connect.agent.ca;

import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import dev.connect.pki.ColonHex;
import dev.connect.pki.KeyIdentifiers;
import org.jspecify.annotations.Nullable;

/**
 * A root and the key it signs with; the key never leaves this package. A provider that keeps its keys outside the
 * agent (Vault) has no key here: {@link #keyPair()} is {@code null} and the provider signs.
 */
record SigningRoot(RootCertificate root, @Nullable KeyPair keyPair) {

	/** The name Consul gives its built-in CA's roots. */
	static final String ROOT_NAME = "Consul CA Primary Cert";

	/**
	 * Describes a root certificate and its key as Consul does: the ID is the certificate's SHA-1 fingerprint and
	 * the signing key ID the key's identifier, both in colon hex.
	 */
	static SigningRoot of(X509Certificate certificate, @Nullable KeyPair key, List<X509Certificate> intermediates,
			boolean active, @Nullable Instant rotatedOutAt) {
		PublicKey publicKey = certificate.getPublicKey();
		RootCertificate root = new RootCertificate(fingerprint(certificate), ROOT_NAME,
				serial(certificate), ColonHex.format(KeyIdentifiers.of(publicKey)),
				certificate, intermediates, active, rotatedOutAt, CaKeys.typeOf(publicKey), CaKeys.bitsOf(publicKey));
		return new SigningRoot(root, key);
	}

	/**
	 * Returns the key that signs with this root.
	 * @throws IllegalStateException when the root's key is held by its provider, not by the agent
	 */
	KeyPair signingKey() {
		KeyPair key = this.keyPair;
		if (key == null) {
			throw new IllegalStateException("CA root '" + this.root.id() + "' has no key in the agent: its provider "
					+ "signs with it");
		}
		return key;
	}

	/** The root made active, carrying the certificates leaves under it present after themselves. */
	SigningRoot activated(List<X509Certificate> intermediates) {
		RootCertificate activated = new RootCertificate(this.root.id(), this.root.name(), this.root.serialNumber(),
				this.root.signingKeyId(), this.root.certificate(), intermediates, true, null, this.root.privateKeyType(),
				this.root.privateKeyBits());
		return new SigningRoot(activated, this.keyPair);
	}

	/**
	 * The agent's own serials are small; an imported root's may have up to 20 bytes, of which Consul's
	 * {@code SerialNumber} (Go's {@code Uint64()}) keeps the low 64 bits, as {@link java.math.BigInteger#longValue()} does.
	 */
	private static long serial(X509Certificate certificate) {
		return certificate.getSerialNumber().longValue();
	}

	SigningRoot rotatedOut(Instant at) {
		return new SigningRoot(this.root.rotatedOut(at), this.keyPair);
	}

	private static String fingerprint(X509Certificate certificate) {
		try {
			return ColonHex.format(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
		}
		catch (NoSuchAlgorithmException | CertificateEncodingException ex) {
			throw new IllegalStateException("Unable to compute the ID of a root certificate", ex);
		}
	}

	@Override
	public String toString() {
		return "SigningRoot[" + this.root.id() + "]";
	}

}
