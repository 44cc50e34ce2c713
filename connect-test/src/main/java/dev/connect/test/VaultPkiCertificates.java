package dev.connect.test;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * The certificate work of {@link VaultPkiMount} with BouncyCastle: CA extensions, subject alternative names, CSRs read
 * and written in PEM, and Vault's glob for {@code allowed_uri_sans}.
 */
final class VaultPkiCertificates {

	private VaultPkiCertificates() {
	}

	/** Vault's glob: {@code *} matches any run of characters. */
	static boolean glob(String glob, String value) {
		String regex = java.util.Arrays.stream(glob.split("\\*", -1))
			.map(java.util.regex.Pattern::quote)
			.collect(java.util.stream.Collectors.joining(".*"));
		return value.matches(regex);
	}

	static GeneralNames names(List<String> uris, List<String> dns) {
		List<GeneralName> names = new ArrayList<>();
		dns.forEach((name) -> names.add(new GeneralName(GeneralName.dNSName, name)));
		uris.forEach((uri) -> names.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri)));
		return new GeneralNames(names.toArray(new GeneralName[0]));
	}

	static void caExtensions(X509v3CertificateBuilder builder, PublicKey subject, PublicKey issuer,
			List<String> uris) {
		try {
			JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
			builder.addExtension(Extension.keyUsage, true,
					new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign | KeyUsage.cRLSign));
			builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subject));
			builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuer));
			if (!uris.isEmpty()) {
				builder.addExtension(Extension.subjectAlternativeName, false, names(uris, List.of()));
			}
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new IllegalStateException("Unable to add CA extensions", ex);
		}
	}

	static JcaPKCS10CertificationRequest csr(Map<String, Object> body) {
		String pem = VaultParams.text(body, "csr");
		if (pem.isEmpty()) {
			throw new VaultError(400, "\"csr\" is empty");
		}
		try {
			String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
			return new JcaPKCS10CertificationRequest(Base64.getDecoder().decode(base64));
		}
		catch (IOException | IllegalArgumentException ex) {
			throw new VaultError(400, "certificate request could not be parsed: " + ex.getMessage());
		}
	}

	static PublicKey publicKey(JcaPKCS10CertificationRequest csr) {
		try {
			return csr.getPublicKey();
		}
		catch (GeneralSecurityException ex) {
			throw new VaultError(400, "certificate request could not be parsed: " + ex.getMessage());
		}
	}

	static List<String> csrUris(JcaPKCS10CertificationRequest csr) {
		List<String> uris = new ArrayList<>();
		for (Attribute attribute : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
			Extensions extensions = Extensions.getInstance(attribute.getAttrValues().getObjectAt(0));
			GeneralNames names = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
			if (names != null) {
				for (GeneralName name : names.getNames()) {
					if (name.getTagNo() == GeneralName.uniformResourceIdentifier) {
						uris.add(name.getName().toString());
					}
				}
			}
		}
		return uris;
	}

	static JcaX509CertificateHolder holder(VaultPkiMount.Issuer issuer) {
		try {
			return new JcaX509CertificateHolder(issuer.certificate());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Unable to read issuer " + issuer.id(), ex);
		}
	}

	static String keyType(PublicKey key) {
		return "RSA".equals(key.getAlgorithm()) ? "rsa" : "ec";
	}

	static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

}
