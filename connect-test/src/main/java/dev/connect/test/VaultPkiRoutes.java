package dev.connect.test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.connect.pki.Pem;

/**
 * The PKI paths of one mount, as Vault routes them: method and path to a {@link VaultPkiMount} operation, 405 for a
 * method the path does not take, 404 for a path Vault does not have.
 */
final class VaultPkiRoutes {

	private VaultPkiRoutes() {
	}

	static VaultAnswer route(VaultPkiMount mount, String method, String rest, Map<String, Object> body, Instant now,
			String fullPath) {
		boolean write = "POST".equals(method) || "PUT".equals(method);
		boolean read = "GET".equals(method);
		if (read && rest.equals("ca/pem")) {
			VaultPkiMount.Issuer issuer = mount.defaultIssuer();
			return VaultAnswer.text((issuer != null) ? Pem.encode(issuer.certificate()) : "");
		}
		if (read && rest.equals("ca_chain")) {
			VaultPkiMount.Issuer issuer = mount.defaultIssuer();
			return VaultAnswer.text((issuer != null) ? Pem.encode(issuer.chain()) : "");
		}
		if (read && rest.equals("cert/ca_chain")) {
			VaultPkiMount.Issuer issuer = mount.defaultIssuer();
			String chain = (issuer != null) ? Pem.encode(issuer.chain()) : "";
			return VaultAnswer.data(Map.of("certificate", chain, "ca_chain", chain));
		}
		if (rest.startsWith("roles/") && write) {
			mount.putRole(rest.substring("roles/".length()), body);
			return VaultAnswer.empty();
		}
		if (rest.startsWith("roles/") && read) {
			Map<String, Object> role = mount.role(rest.substring("roles/".length()));
			if (role == null) {
				throw new VaultError(404, "");
			}
			return VaultAnswer.data(role);
		}
		if (rest.equals("config/issuers")) {
			if (write) {
				mount.setDefault(VaultParams.text(body, "default"));
			}
			VaultPkiMount.Issuer issuer = mount.defaultIssuer();
			Map<String, Object> data = new LinkedHashMap<>();
			data.put("default", (issuer != null) ? issuer.id() : "");
			data.put("default_follows_latest_issuer", false);
			return VaultAnswer.data(data);
		}
		if (read && rest.startsWith("issuer/")) {
			VaultPkiMount.Issuer issuer = mount.issuer(rest.substring("issuer/".length()));
			if (issuer == null) {
				throw new VaultError(400, "unable to resolve issuer " + rest.substring("issuer/".length())
						+ ": issuer reference not found");
			}
			Map<String, Object> data = new LinkedHashMap<>();
			data.put("issuer_id", issuer.id());
			data.put("issuer_name", "");
			data.put("key_id", issuer.keyId());
			data.put("certificate", Pem.encode(issuer.certificate()));
			data.put("ca_chain", issuer.chain().stream().map(Pem::encode).toList());
			data.put("leaf_not_after_behavior", "err");
			return VaultAnswer.data(data);
		}
		if (!write) {
			if (isWritePath(rest)) {
				throw new VaultError(405, "unsupported operation");
			}
			throw new VaultError(404, "no handler for route \"" + fullPath + "\". route entry not found.");
		}
		return VaultAnswer.data(switch (rest) {
			case "root/generate/internal" -> mount.generateRoot(body, now);
			case "intermediate/generate/internal" -> mount.generateIntermediate(body);
			case "root/sign-intermediate" -> mount.signIntermediate(body, now);
			case "intermediate/set-signed" -> mount.setSigned(body);
			case "root/sign-self-issued" -> mount.signSelfIssued(body, now);
			default -> {
				if (rest.startsWith("sign/")) {
					yield mount.signLeaf(rest.substring("sign/".length()), body, now, false);
				}
				if (rest.startsWith("issue/")) {
					yield mount.signLeaf(rest.substring("issue/".length()), body, now, true);
				}
				throw new VaultError(404, "no handler for route \"" + fullPath + "\". route entry not found.");
			}
		});
	}

	private static boolean isWritePath(String rest) {
		return rest.startsWith("sign/") || rest.startsWith("issue/") || rest.startsWith("root/")
				|| rest.startsWith("intermediate/");
	}

}
