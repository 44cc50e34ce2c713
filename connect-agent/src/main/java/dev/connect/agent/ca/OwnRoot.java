package dev.connect.agent.ca;

import java.security.KeyPair;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import dev.connect.identity.TrustDomain;
import dev.connect.pki.Pem;

/**
 * An operator's own root ({@code RootCert} and {@code PrivateKey} of the {@code consul} provider), checked before
 * anything signs with it. Every refusal names the field and what is wrong.
 */
final class OwnRoot {

	/** keyCertSign in {@link X509Certificate#getKeyUsage()}. */
	private static final int KEY_CERT_SIGN = 5;

	private OwnRoot() {
	}

	/**
	 * Reads and checks the root: the key parses and is EC P-256/P-384/P-521 or RSA of at least 2048 bits, it belongs
	 * to the certificate, the certificate is a self-issued CA allowed to sign certificates, valid now, and names the trust
	 * domain as its URI SAN (Consul's rule for {@code RootCert}).
	 * @throws IllegalArgumentException naming the field and what is wrong
	 */
	static SigningRoot load(String rootCertPem, String privateKeyPem, TrustDomain trustDomain, Instant now) {
		X509Certificate certificate = certificate(rootCertPem);
		KeyPair key = key(privateKeyPem);
		String subject = certificate.getSubjectX500Principal().getName();
		if (!Arrays.equals(key.getPublic().getEncoded(), certificate.getPublicKey().getEncoded())) {
			throw new IllegalArgumentException("PrivateKey does not belong to RootCert '" + subject
					+ "': the certificate carries another public key");
		}
		requireSigningCa(certificate, "RootCert '" + subject + "'", now);
		if (!certificate.getIssuerX500Principal().equals(certificate.getSubjectX500Principal())) {
			// Clients take the published roots as trust anchors, and an anchor's issuer is its subject.
			throw new IllegalArgumentException("RootCert '" + subject + "' is not self-issued (issuer '"
					+ certificate.getIssuerX500Principal().getName() + "'); give a self-issued root, and its "
					+ "certificate from an upper CA in IntermediateCerts");
		}
		requireTrustDomain(certificate, subject, trustDomain);
		return SigningRoot.of(certificate, key, List.of(), false, null);
	}

	/**
	 * Reads a CA key, EC P-256/P-384/P-521 or RSA of at least 2048 bits.
	 * @throws IllegalArgumentException naming {@code PrivateKey} and what is wrong
	 */
	static KeyPair key(String privateKeyPem) {
		KeyPair key;
		try {
			key = Pem.parseKeyPair(privateKeyPem);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("PrivateKey cannot be read as a PEM private key: " + ex.getMessage(),
					ex);
		}
		if (key.getPublic() instanceof ECKey ec) {
			int bits = ec.getParams().getOrder().bitLength();
			if (bits != 256 && bits != 384 && bits != 521) {
				throw new IllegalArgumentException("PrivateKey is an EC key of " + bits
						+ " bits, which is not supported; allowed are EC P-256, P-384, P-521 and RSA of 2048 bits or more");
			}
			return key;
		}
		if (key.getPublic() instanceof RSAKey rsa && rsa.getModulus().bitLength() >= 2048) {
			return key;
		}
		throw new IllegalArgumentException("PrivateKey is a " + key.getPublic().getAlgorithm() + " key"
				+ ((key.getPublic() instanceof RSAKey rsa) ? " of " + rsa.getModulus().bitLength() + " bits" : "")
				+ ", which is not supported; allowed are EC P-256, P-384, P-521 and RSA of 2048 bits or more");
	}

	/**
	 * Reads and checks {@code IntermediateCerts}: a certificate for the own root (same subject and key) that the
	 * operator's upper CA issued, then the certificates above it up to the upper root (which is not among them). Each
	 * is a CA allowed to sign certificates and valid now, and each after the first issued the one before it. Leaves
	 * carry them, so that a peer that trusts only the upper root finds a path; the published root stays the
	 * self-issued {@code RootCert}.
	 * @throws IllegalArgumentException naming the certificate (by its index) and what is wrong
	 */
	static List<X509Certificate> intermediates(List<String> pems, X509Certificate root, Instant now) {
		List<X509Certificate> chain = new java.util.ArrayList<>();
		for (String pem : pems) {
			try {
				chain.addAll(Pem.parseCertificates(pem));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("IntermediateCerts cannot be read as PEM certificates: "
						+ ex.getMessage(), ex);
			}
		}
		for (int i = 0; i < chain.size(); i++) {
			X509Certificate certificate = chain.get(i);
			String name = "IntermediateCerts[" + i + "] '" + certificate.getSubjectX500Principal().getName() + "'";
			requireSigningCa(certificate, name, now);
			if (i == 0 && !(certificate.getSubjectX500Principal().equals(root.getSubjectX500Principal())
					&& Arrays.equals(certificate.getPublicKey().getEncoded(), root.getPublicKey().getEncoded()))) {
				throw new IllegalArgumentException(name + " is not a certificate for RootCert '"
						+ root.getSubjectX500Principal().getName() + "': the first must have its subject and key, "
						+ "issued by the upper CA");
			}
			if (i > 0 && !issued(certificate, chain.get(i - 1))) {
				throw new IllegalArgumentException(name + " did not issue IntermediateCerts[" + (i - 1)
						+ "]; list the certificates from RootCert upwards");
			}
		}
		return List.copyOf(chain);
	}

	private static boolean issued(X509Certificate issuer, X509Certificate subject) {
		if (!issuer.getSubjectX500Principal().equals(subject.getIssuerX500Principal())) {
			return false;
		}
		try {
			subject.verify(issuer.getPublicKey());
			return true;
		}
		catch (java.security.GeneralSecurityException ex) {
			return false;
		}
	}

	private static void requireSigningCa(X509Certificate certificate, String name, Instant now) {
		if (certificate.getBasicConstraints() < 0) {
			throw new IllegalArgumentException(name + " is not a CA certificate: its basic constraints must say cA=true");
		}
		boolean[] usage = certificate.getKeyUsage();
		if (usage != null && !usage[KEY_CERT_SIGN]) {
			throw new IllegalArgumentException(name + " may not sign certificates: its key usage must include "
					+ "keyCertSign");
		}
		if (now.isAfter(certificate.getNotAfter().toInstant())) {
			throw new IllegalArgumentException(name + " expired at " + certificate.getNotAfter().toInstant());
		}
		if (now.isBefore(certificate.getNotBefore().toInstant())) {
			throw new IllegalArgumentException(name + " is not valid before " + certificate.getNotBefore().toInstant());
		}
	}

	private static X509Certificate certificate(String pem) {
		List<X509Certificate> certificates;
		try {
			certificates = Pem.parseCertificates(pem);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("RootCert cannot be read as a PEM certificate: " + ex.getMessage(), ex);
		}
		if (certificates.size() != 1) {
			throw new IllegalArgumentException(
					"RootCert must hold exactly one PEM certificate, found " + certificates.size());
		}
		return certificates.get(0);
	}

	private static void requireTrustDomain(X509Certificate certificate, String subject, TrustDomain trustDomain) {
		String uri = trustDomain.id().toString();
		try {
			boolean named = certificate.getSubjectAlternativeNames() != null && certificate.getSubjectAlternativeNames()
				.stream()
				.anyMatch((name) -> uri.equals(name.get(1)));
			if (!named) {
				throw new IllegalArgumentException("RootCert '" + subject + "' must carry the URI SAN '" + uri
						+ "' (this agent's trust domain, see TrustDomain in /v1/connect/ca/roots)");
			}
		}
		catch (CertificateParsingException ex) {
			throw new IllegalArgumentException("RootCert '" + subject + "' has names that cannot be read", ex);
		}
	}

}
