package dev.connect.test;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;

import dev.connect.pki.Pem;

/**
 * A certificate with its key pair, made by {@link SvidAuthority}: the test-side counterpart of what the agent hands
 * a service. Its {@link #toString()} never shows the key.
 */
public final class HeldSvid {

	private final X509Certificate certificate;

	private final KeyPair keyPair;

	private final List<X509Certificate> chain;

	HeldSvid(X509Certificate certificate, KeyPair keyPair, List<X509Certificate> issuers) {
		this.certificate = certificate;
		this.keyPair = keyPair;
		List<X509Certificate> chain = new ArrayList<>();
		chain.add(certificate);
		chain.addAll(issuers);
		this.chain = List.copyOf(chain);
	}

	/**
	 * Returns the certificate.
	 * @return the certificate
	 */
	public X509Certificate certificate() {
		return this.certificate;
	}

	/**
	 * Returns the key pair.
	 * @return the key pair
	 */
	public KeyPair keyPair() {
		return this.keyPair;
	}

	/**
	 * Returns the certificate as PEM.
	 * @return one {@code CERTIFICATE} block
	 */
	public String certificatePem() {
		return Pem.encode(this.certificate);
	}

	/**
	 * Returns the private key as PEM ({@code PRIVATE KEY}, PKCS#8).
	 * @return one {@code PRIVATE KEY} block
	 */
	public String privateKeyPem() {
		String base64 = Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
			.encodeToString(this.keyPair.getPrivate().getEncoded());
		return "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n";
	}

	/**
	 * Returns a key manager factory presenting this certificate (and the certificates that issued it, without the
	 * root) with its key.
	 * @return the factory, initialized
	 */
	public KeyManagerFactory keyManagerFactory() {
		try {
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(null, null);
			List<X509Certificate> presented = this.chain.subList(0, Math.max(1, this.chain.size() - 1));
			store.setKeyEntry("svid", this.keyPair.getPrivate(), new char[0],
					presented.toArray(X509Certificate[]::new));
			KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			factory.init(store, new char[0]);
			return factory;
		}
		catch (GeneralSecurityException | java.io.IOException ex) {
			throw new IllegalStateException("Unable to build a key manager for " + this, ex);
		}
	}

	@Override
	public String toString() {
		return "HeldSvid[" + this.certificate.getSubjectX500Principal() + ", serial "
				+ this.certificate.getSerialNumber().toString(16) + ", until " + this.certificate.getNotAfter().toInstant()
				+ "]";
	}

}
