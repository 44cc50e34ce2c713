package dev.connect.agent.ca;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Objects;

import dev.connect.identity.ServiceIdentity;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A leaf's CSR as the agent makes it for a provider (Consul's {@code connect.CreateCSR}): empty subject and the
 * service's SPIFFE ID as the only URI SAN, signed with the leaf's fresh key, which stays with the agent.
 *
 * @param identity the identity the CA built for the leaf; providers sign for it, never for a name in a request
 * @param csr the PKCS#10 request
 */
record LeafCsr(ServiceIdentity identity, PKCS10CertificationRequest csr) {

	LeafCsr {
		Objects.requireNonNull(identity, "'identity' must not be null");
		Objects.requireNonNull(csr, "'csr' must not be null");
	}

	static LeafCsr of(ServiceIdentity identity, KeyPair key, SecureRandom random) {
		try {
			ExtensionsGenerator extensions = new ExtensionsGenerator();
			extensions.addExtension(Extension.subjectAlternativeName, true,
					new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, identity.toString())));
			PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(new X500Name(new org.bouncycastle.asn1.x500.RDN[0]),
					key.getPublic())
				.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
				.build(CaKeys.contentSigner(key.getPrivate(), random));
			return new LeafCsr(identity, csr);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Unable to create a CSR for '" + identity + "'", ex);
		}
	}

	/** The key the leaf certifies. */
	PublicKey publicKey() {
		try {
			return new JcaPKCS10CertificationRequest(this.csr).getPublicKey();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalArgumentException("Unable to read the public key of the CSR for '" + this.identity + "'",
					ex);
		}
	}

	@Override
	public String toString() {
		return "LeafCsr[" + this.identity + "]";
	}

}
