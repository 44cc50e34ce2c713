package dev.connect.agent.ca;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.connect.identity.ServiceIdentity;
import dev.connect.pki.ColonHex;
import dev.connect.pki.Pem;

/**
 * A leaf certificate the CA issued, with its fresh key and the intermediates that chain it to the roots. Its
 * {@link #toString()} never shows the key.
 *
 * @param identity the service identity in the certificate's URI SAN
 * @param certificate the leaf certificate
 * @param intermediates certificates to present after the leaf (Consul appends the active root's
 * {@code IntermediateCerts})
 * @param keyPair the leaf's EC P-256 key pair, generated for this issuance only
 * @param signingKeyId colon-hex identifier of the key that signed the leaf (its authority key identifier)
 */
public record IssuedLeaf(ServiceIdentity identity, X509Certificate certificate, List<X509Certificate> intermediates,
		KeyPair keyPair, String signingKeyId) {

	public IssuedLeaf {
		Objects.requireNonNull(identity, "'identity' must not be null");
		Objects.requireNonNull(certificate, "'certificate' must not be null");
		Objects.requireNonNull(keyPair, "'keyPair' must not be null");
		intermediates = List.copyOf(intermediates);
	}

	/**
	 * Returns the leaf's serial as Consul renders it, for example {@code 2c}.
	 * @return the colon-hex serial
	 */
	public String serialNumber() {
		return ColonHex.serial(this.certificate.getSerialNumber());
	}

	/**
	 * Returns the leaf followed by the intermediates: the chain a peer presents.
	 * @return the chain, leaf first
	 */
	public List<X509Certificate> chain() {
		List<X509Certificate> chain = new ArrayList<>(1 + this.intermediates.size());
		chain.add(this.certificate);
		chain.addAll(this.intermediates);
		return List.copyOf(chain);
	}

	/**
	 * Returns the chain as PEM, as Consul's {@code CertPEM}.
	 * @return the leaf PEM followed by each intermediate PEM
	 */
	public String certPem() {
		return Pem.encode(chain());
	}

	/**
	 * Returns the private key as SEC1 {@code EC PRIVATE KEY} PEM, as Consul's {@code PrivateKeyPEM}.
	 * @return the PEM text
	 */
	public String privateKeyPem() {
		return Pem.encodeSec1(this.keyPair.getPrivate(), this.keyPair.getPublic());
	}

	/**
	 * Returns the private key.
	 * @return the key
	 */
	public PrivateKey privateKey() {
		return this.keyPair.getPrivate();
	}

	/**
	 * Returns the start of the leaf's validity, one minute before it was signed.
	 * @return the not-before instant
	 */
	public Instant validAfter() {
		return this.certificate.getNotBefore().toInstant();
	}

	/**
	 * Returns the end of the leaf's validity.
	 * @return the not-after instant
	 */
	public Instant validBefore() {
		return this.certificate.getNotAfter().toInstant();
	}

	@Override
	public String toString() {
		return "IssuedLeaf[identity=" + this.identity + ", serialNumber=" + serialNumber() + ", validBefore="
				+ validBefore() + "]";
	}

}
