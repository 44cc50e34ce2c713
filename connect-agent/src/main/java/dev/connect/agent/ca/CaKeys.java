package dev.connect.agent.ca;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;

import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Key generation and signing for the CA. EC keys are generated and EC signatures made with BouncyCastle's provider
 * (used as an object, never registered in the JVM): on JDK 17 it generates a P-256 key about six times and signs
 * about twice as fast as the JDK's own provider, and a leaf costs one of each. RSA stays with the JDK. Certificates
 * are always JDK certificate objects, whoever signed them.
 */
final class CaKeys {

	private CaKeys() {
	}

	/** A fresh EC P-256 key: every leaf gets one, as Consul's agent generates them. */
	static KeyPair leafKey(SecureRandom random) {
		return generate("ec", 256, random);
	}

	static KeyPair generate(String type, int bits, SecureRandom random) {
		try {
			if ("rsa".equals(type)) {
				KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
				generator.initialize(bits, random);
				return generator.generateKeyPair();
			}
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Bc.PROVIDER);
			generator.initialize(new ECGenParameterSpec("secp" + bits + "r1"), random);
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Unable to generate a " + type + " " + bits + "-bit key", ex);
		}
	}

	static String typeOf(java.security.PublicKey key) {
		return "RSA".equals(key.getAlgorithm()) ? "rsa" : "ec";
	}

	static int bitsOf(java.security.PublicKey key) {
		if (key instanceof java.security.interfaces.RSAKey rsa) {
			return rsa.getModulus().bitLength();
		}
		if (key instanceof java.security.interfaces.ECKey ec) {
			return ec.getParams().getOrder().bitLength();
		}
		throw new IllegalArgumentException(
				"CA key of algorithm '" + key.getAlgorithm() + "' is not supported; allowed are EC and RSA");
	}

	/**
	 * Signs a certificate with the CA key. Like Consul, SHA-256 for every EC curve and for RSA.
	 */
	static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer, SecureRandom random) {
		try {
			return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner(signer, random)));
		}
		catch (java.security.cert.CertificateException ex) {
			throw new IllegalStateException("Unable to sign certificate with " + signer.getAlgorithm() + " key", ex);
		}
	}

	/** SHA-256 with the key's algorithm, EC signatures made by BouncyCastle. */
	static ContentSigner contentSigner(PrivateKey signer, SecureRandom random) {
		boolean rsa = "RSA".equals(signer.getAlgorithm());
		String algorithm = rsa ? "SHA256withRSA" : "SHA256withECDSA";
		try {
			JcaContentSignerBuilder contentSigner = new JcaContentSignerBuilder(algorithm).setSecureRandom(random);
			if (!rsa) {
				contentSigner.setProvider(Bc.PROVIDER);
			}
			return contentSigner.build(signer);
		}
		catch (OperatorCreationException ex) {
			throw new IllegalStateException("Unable to sign with " + algorithm, ex);
		}
	}

	/** Building the provider takes a while, so once, on first use. */
	private static final class Bc {

		static final Provider PROVIDER = new BouncyCastleProvider();

	}

}
