package dev.connect.agent.ca;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The {@code vault} provider's settings (Consul's {@code VaultCAProviderConfig}), read from the raw
 * {@link ProviderConfig} in PascalCase or snake_case and checked before anything reaches Vault. Every refusal names
 * the field.
 *
 * @param address Vault's address, {@code http(s)://host:port}
 * @param token the token, empty when {@code authMethod} logs in
 * @param authMethod the auth method that logs in, or {@code null} with a token
 * @param rootPkiPath the root PKI mount, ending in {@code /}
 * @param intermediatePkiPath the intermediate PKI mount, ending in {@code /}, never the root's
 * @param namespace the namespace of every call ({@code X-Vault-Namespace}), empty for none
 * @param rootPkiNamespace the namespace of the root mount's calls, {@code namespace} when empty
 * @param intermediatePkiNamespace the namespace of the intermediate mount's calls, {@code namespace} when empty
 * @param tls the TLS settings towards Vault
 */
record VaultSettings(URI address, String token, @Nullable AuthMethod authMethod, String rootPkiPath,
		String intermediatePkiPath, String namespace, String rootPkiNamespace, String intermediatePkiNamespace,
		Tls tls) {

	/**
	 * A Vault auth method (Consul's {@code VaultAuthMethod}).
	 * @param type the method, for example {@code approle}
	 * @param mountPath where it is mounted, {@code type} by default
	 * @param params the login body, for example {@code role_id} and {@code secret_id}; never logged
	 */
	record AuthMethod(String type, String mountPath, Map<String, Object> params) {

		String loginPath() {
			return "auth/" + (this.mountPath.isEmpty() ? this.type : this.mountPath) + "/login";
		}

		@Override
		public String toString() {
			return "AuthMethod[type=" + this.type + ", mountPath=" + this.mountPath + "]";
		}

	}

	/**
	 * TLS towards Vault.
	 * @param caFile PEM file of the CAs that sign Vault's certificate, empty for the JDK's
	 * @param caPath directory of such PEM files, empty for none
	 * @param certFile PEM file of the agent's client certificate, empty for none
	 * @param keyFile PEM file of its key, given exactly with {@code certFile}
	 * @param serverName the name to send as SNI and to verify Vault's certificate against, the address's host when empty
	 * @param skipVerify whether to accept any certificate (never in production)
	 */
	record Tls(String caFile, String caPath, String certFile, String keyFile, String serverName, boolean skipVerify) {
	}

	static VaultSettings of(ProviderConfig config) {
		String address = config.string("Address", "address");
		if (address.isEmpty()) {
			throw new IllegalArgumentException("Address: must provide the address of the Vault server "
					+ "(for example https://vault.example:8200)");
		}
		URI uri;
		try {
			uri = URI.create(address);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("Address '" + address + "' is not a URL: " + ex.getMessage(), ex);
		}
		if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
			throw new IllegalArgumentException("Address '" + address + "' must be an http:// or https:// URL with a host");
		}
		String token = config.string("Token", "token");
		AuthMethod authMethod = authMethod(config.config().getOrDefault("AuthMethod",
				config.config().get("auth_method")));
		if (token.isEmpty() && authMethod == null) {
			throw new IllegalArgumentException("must provide a Vault token or configure a Vault auth method "
					+ "(Token or AuthMethod)");
		}
		if (!token.isEmpty() && authMethod != null) {
			throw new IllegalArgumentException("only one of Vault token or Vault auth method can be provided, but not "
					+ "both (Token and AuthMethod)");
		}
		String root = path(config.string("RootPKIPath", "root_pki_path"));
		if (root.isEmpty()) {
			throw new IllegalArgumentException("RootPKIPath: must provide a valid path to a root PKI backend");
		}
		String intermediate = path(config.string("IntermediatePKIPath", "intermediate_pki_path"));
		if (intermediate.isEmpty()) {
			throw new IllegalArgumentException("IntermediatePKIPath: must provide a valid path for the intermediate "
					+ "PKI backend");
		}
		if (root.equals(intermediate)) {
			throw new IllegalArgumentException("RootPKIPath and IntermediatePKIPath are both '" + root
					+ "': they must be different mounts");
		}
		String certFile = config.string("CertFile", "cert_file");
		String keyFile = config.string("KeyFile", "key_file");
		if (certFile.isEmpty() != keyFile.isEmpty()) {
			throw new IllegalArgumentException("CertFile and KeyFile must be given together (the client certificate "
					+ "and its key), got only " + (certFile.isEmpty() ? "KeyFile" : "CertFile"));
		}
		String namespace = config.string("Namespace", "namespace");
		Tls tls = new Tls(config.string("CAFile", "ca_file"), config.string("CAPath", "ca_path"), certFile, keyFile,
				config.string("TLSServerName", "tls_server_name"),
				Boolean.parseBoolean(config.string("TLSSkipVerify", "tls_skip_verify")));
		return new VaultSettings(uri, token, authMethod, root, intermediate, namespace,
				or(config.string("RootPKINamespace", "root_pki_namespace"), namespace),
				or(config.string("IntermediatePKINamespace", "intermediate_pki_namespace"), namespace), tls);
	}

	private static @Nullable AuthMethod authMethod(@Nullable Object value) {
		if (value == null) {
			return null;
		}
		if (!(value instanceof Map<?, ?> map)) {
			throw new IllegalArgumentException("AuthMethod must be an object with Type, MountPath and Params, got '"
					+ value.getClass().getSimpleName() + "'");
		}
		Map<String, Object> method = new LinkedHashMap<>();
		map.forEach((key, part) -> method.put(String.valueOf(key), part));
		ProviderConfig view = new ProviderConfig("vault", method, false);
		String type = view.string("Type", "type");
		if (type.isEmpty()) {
			throw new IllegalArgumentException("AuthMethod.Type: must name the auth method, for example approle");
		}
		Object params = method.getOrDefault("Params", method.get("params"));
		Map<String, Object> body = new LinkedHashMap<>();
		if (params instanceof Map<?, ?> given) {
			given.forEach((key, part) -> body.put(String.valueOf(key), part));
		}
		else if (params != null) {
			throw new IllegalArgumentException("AuthMethod.Params must be an object, the body of the login request");
		}
		return new AuthMethod(type, view.string("MountPath", "mount_path"), Map.copyOf(body));
	}

	/** Consul adds the trailing slash; a leading one is not part of a Vault path. */
	private static String path(String path) {
		String trimmed = path.replaceAll("^/+", "");
		return (trimmed.isEmpty() || trimmed.endsWith("/")) ? trimmed : trimmed + "/";
	}

	private static String or(String value, String fallback) {
		return value.isEmpty() ? fallback : value;
	}

	@Override
	public String toString() {
		return "VaultSettings[address=" + this.address + ", rootPkiPath=" + this.rootPkiPath + ", intermediatePkiPath="
				+ this.intermediatePkiPath + "]";
	}

}
