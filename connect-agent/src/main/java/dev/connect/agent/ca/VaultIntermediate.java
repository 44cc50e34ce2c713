package dev.connect.agent.ca;

import java.io.IOException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.connect.pki.Pem;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * The intermediate mount of the {@code vault} provider and the intermediate in it, with Consul's calls: mount or
 * tune {@code <int>}, write the {@code leaf-cert} role, then {@code intermediate/generate/internal},
 * {@code <root>root/sign-intermediate}, {@code intermediate/set-signed} and (Vault ≥ 1.11) the new issuer as the
 * mount's default in {@code config/issuers}.
 */
final class VaultIntermediate {

	private VaultIntermediate() {
	}

	/** Mounts {@code IntermediatePKIPath} when {@code ca/pem} answers 404, tunes it otherwise; writes the role. */
	static void mount(ProviderContext context, VaultSettings settings, VaultClient client) {
		String namespace = settings.intermediatePkiNamespace();
		String path = settings.intermediatePkiPath();
		String ttl = VaultProvider.seconds(context.config().intermediateCertTtl());
		if (client.readText(namespace, path + "ca/pem") == null) {
			client.write(namespace, "sys/mounts/" + path, Map.of("type", "pki", "config", Map.of("max_lease_ttl", ttl)));
		}
		else {
			client.write(namespace, "sys/mounts/" + path + "tune", Map.of("max_lease_ttl", ttl));
		}
		Map<String, Object> role = new LinkedHashMap<>();
		role.put("allow_any_name", true);
		role.put("allowed_uri_sans", "spiffe://*");
		role.put("key_type", "any");
		role.put("max_ttl", VaultProvider.seconds(context.config().leafCertTtl()));
		role.put("no_store", true);
		role.put("require_cn", false);
		client.write(namespace, path + "roles/" + VaultProvider.LEAF_ROLE, role);
	}

	/** A new intermediate signed by the root, made the default issuer of the intermediate mount. */
	static X509Certificate generate(ProviderContext context, VaultSettings settings, VaultClient client) {
		String namespace = settings.intermediatePkiNamespace();
		String path = settings.intermediatePkiPath();
		Map<String, Object> request = new LinkedHashMap<>();
		request.put("common_name", VaultProvider.commonName(context));
		request.put("uri_sans", context.trustDomain().id().toString());
		request.put("key_type", context.config().privateKeyType());
		request.put("key_bits", context.config().privateKeyBits());
		Map<String, Object> csr = client.write(namespace, path + "intermediate/generate/internal", request);
		String keyId = String.valueOf(csr.getOrDefault("key_id", ""));
		Map<String, Object> signed = client.write(settings.rootPkiNamespace(),
				settings.rootPkiPath() + "root/sign-intermediate", Map.of("csr", String.valueOf(csr.get("csr")),
						"use_csr_values", true, "format", "pem_bundle", "ttl",
						VaultProvider.seconds(context.config().intermediateCertTtl())));
		String bundle = String.valueOf(signed.get("certificate"));
		Map<String, Object> imported = client.write(namespace, path + "intermediate/set-signed",
				Map.of("certificate", bundle));
		makeDefault(client, namespace, path, keyId, imported);
		List<X509Certificate> certificates = Pem.parseCertificates(bundle);
		if (certificates.isEmpty()) {
			throw new IllegalArgumentException("Vault answered " + settings.rootPkiPath()
					+ "root/sign-intermediate without a certificate");
		}
		return certificates.get(0);
	}

	/**
	 * Vault ≥ 1.11 keeps several issuers per mount: the one holding the new key becomes the default, so that
	 * {@code sign/leaf-cert} signs with it. An older Vault answers 404 to {@code config/issuers} and has one issuer.
	 */
	private static void makeDefault(VaultClient client, String namespace, String path, String keyId,
			Map<String, Object> imported) {
		try {
			client.read(namespace, path + "config/issuers");
		}
		catch (VaultClient.VaultCallException ex) {
			if (ex.status() == 404) {
				return;
			}
			throw ex;
		}
		if (!(imported.get("imported_issuers") instanceof List<?> issuers)) {
			return;
		}
		for (Object issuer : issuers) {
			Map<String, Object> data = client.read(namespace, path + "issuer/" + issuer);
			if (keyId.equals(String.valueOf(data.get("key_id")))) {
				client.write(namespace, path + "config/issuers", Map.of("default", String.valueOf(issuer)));
				return;
			}
		}
	}

	static List<String> uris(X509Certificate certificate) {
		List<String> uris = new ArrayList<>();
		try {
			if (certificate.getSubjectAlternativeNames() != null) {
				for (List<?> name : certificate.getSubjectAlternativeNames()) {
					if (Integer.valueOf(6).equals(name.get(0))) {
						uris.add(String.valueOf(name.get(1)));
					}
				}
			}
		}
		catch (CertificateParsingException ex) {
			throw new IllegalArgumentException("Vault's root has names that cannot be read", ex);
		}
		return uris;
	}

	static String pem(PKCS10CertificationRequest csr) {
		try {
			return "-----BEGIN CERTIFICATE REQUEST-----\n"
					+ Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(csr.getEncoded())
					+ "\n-----END CERTIFICATE REQUEST-----\n";
		}
		catch (IOException ex) {
			throw new IllegalStateException("Unable to encode a CSR", ex);
		}
	}

}
