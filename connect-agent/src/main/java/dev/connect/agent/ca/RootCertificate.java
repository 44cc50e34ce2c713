package dev.connect.agent.ca;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import dev.connect.pki.Pem;
import org.jspecify.annotations.Nullable;

/**
 * A CA root as the roots endpoint publishes it: never its private key.
 *
 * @param id SHA-1 of the certificate's DER, colon-hex (Consul's {@code CARoot.ID})
 * @param name display name, {@code Consul CA Primary Cert}
 * @param serialNumber the certificate's serial
 * @param signingKeyId colon-hex subject key identifier of the key that signs leaves under this root
 * @param certificate the self-signed root certificate
 * @param intermediates certificates leaves under this root carry after themselves: the cross-signed certificate
 * that links this root to the previous one, if any
 * @param active whether this root signs new leaves; exactly one root is active
 * @param rotatedOutAt when this root stopped being active, or {@code null} while active
 * @param privateKeyType {@code ec} or {@code rsa}
 * @param privateKeyBits the key size
 */
public record RootCertificate(String id, String name, long serialNumber, String signingKeyId,
		X509Certificate certificate, List<X509Certificate> intermediates, boolean active,
		@Nullable Instant rotatedOutAt, String privateKeyType, int privateKeyBits) {

	public RootCertificate {
		Objects.requireNonNull(certificate, "'certificate' must not be null");
		intermediates = List.copyOf(intermediates);
	}

	/**
	 * Returns the root certificate as PEM, ending with a newline.
	 * @return the PEM text
	 */
	public String rootCertPem() {
		return Pem.encode(this.certificate);
	}

	/**
	 * Returns each intermediate certificate as PEM, in order.
	 * @return the PEM texts
	 */
	public List<String> intermediatePems() {
		return this.intermediates.stream().map(Pem::encode).toList();
	}

	/**
	 * Returns the start of the certificate's validity.
	 * @return the not-before instant
	 */
	public Instant notBefore() {
		return this.certificate.getNotBefore().toInstant();
	}

	/**
	 * Returns the end of the certificate's validity.
	 * @return the not-after instant
	 */
	public Instant notAfter() {
		return this.certificate.getNotAfter().toInstant();
	}

	RootCertificate rotatedOut(Instant at) {
		return new RootCertificate(this.id, this.name, this.serialNumber, this.signingKeyId, this.certificate,
				this.intermediates, false, at, this.privateKeyType, this.privateKeyBits);
	}

}
