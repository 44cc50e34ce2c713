package dev.connect.agent.ca;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;

/** Reads a certificate's fields from its DER encoding, independently of how it was built. */
final class Der {

	private final Certificate certificate;

	private Der(Certificate certificate) {
		this.certificate = certificate;
	}

	static Der of(X509Certificate certificate) {
		try {
			return new Der(Certificate.getInstance(certificate.getEncoded()));
		}
		catch (CertificateEncodingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	Certificate asn1() {
		return this.certificate;
	}

	Extensions extensions() {
		return this.certificate.getTBSCertificate().getExtensions();
	}

	Extension extension(org.bouncycastle.asn1.ASN1ObjectIdentifier oid) {
		Extension extension = extensions().getExtension(oid);
		if (extension == null) {
			throw new AssertionError("certificate has no extension " + oid);
		}
		return extension;
	}

	ASN1Encodable value(org.bouncycastle.asn1.ASN1ObjectIdentifier oid) {
		return extension(oid).getParsedValue();
	}

}
