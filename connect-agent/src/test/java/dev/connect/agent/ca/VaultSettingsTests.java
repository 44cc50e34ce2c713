package dev.connect.agent.ca;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class VaultSettingsTests {

	private static Map<String, Object> valid() {
		Map<String, Object> config = new HashMap<>();
		config.put("Address", "http://127.0.0.1:8200");
		config.put("Token", "hvs.secret");
		config.put("RootPKIPath", "connect-root");
		config.put("IntermediatePKIPath", "connect-int/");
		return config;
	}

	static Stream<Arguments> refusals() {
		return Stream.of(Arguments.of("Address", null,
				"Address: must provide the address of the Vault server (for example https://vault.example:8200)"),
				Arguments.of("Address", "vault:8200",
						"Address 'vault:8200' must be an http:// or https:// URL with a host"),
				Arguments.of("Token", null,
						"must provide a Vault token or configure a Vault auth method (Token or AuthMethod)"),
				Arguments.of("AuthMethod", Map.of("Type", "approle"),
						"only one of Vault token or Vault auth method can be provided, but not both (Token and AuthMethod)"),
				Arguments.of("RootPKIPath", null, "RootPKIPath: must provide a valid path to a root PKI backend"),
				Arguments.of("IntermediatePKIPath", null,
						"IntermediatePKIPath: must provide a valid path for the intermediate PKI backend"),
				Arguments.of("IntermediatePKIPath", "/connect-root",
						"RootPKIPath and IntermediatePKIPath are both 'connect-root/': they must be different mounts"),
				Arguments.of("CertFile", "/etc/client.pem",
						"CertFile and KeyFile must be given together (the client certificate and its key), got only CertFile"));
	}

	@ParameterizedTest(name = "{0}={1}")
	@MethodSource("refusals")
	void badSettingIsRefusedNamingTheField(String field, Object value, String message) {
		Map<String, Object> config = valid();
		if (value == null) {
			config.remove(field);
		}
		else {
			config.put(field, value);
		}
		assertThatIllegalArgumentException()
			.isThrownBy(() -> VaultSettings.of(new ProviderConfig("vault", config, false)))
			.withMessage(message);
	}

	@Test
	void authMethodWithoutTypeIsRefused() {
		Map<String, Object> config = valid();
		config.remove("Token");
		config.put("AuthMethod", Map.of("MountPath", "approle"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> VaultSettings.of(new ProviderConfig("vault", config, false)))
			.withMessage("AuthMethod.Type: must name the auth method, for example approle");
	}

	@Test
	void pathsGetATrailingSlashAndNamespacesDefaultToNamespace() {
		Map<String, Object> config = valid();
		config.put("Namespace", "team");
		config.put("RootPKINamespace", "admin");
		VaultSettings settings = VaultSettings.of(new ProviderConfig("vault", config, false));
		assertThat(settings.rootPkiPath()).isEqualTo("connect-root/");
		assertThat(settings.intermediatePkiPath()).isEqualTo("connect-int/");
		assertThat(settings.rootPkiNamespace()).isEqualTo("admin");
		assertThat(settings.intermediatePkiNamespace()).isEqualTo("team");
		assertThat(settings.toString()).doesNotContain("hvs.secret");
	}

	@Test
	void authMethodLogsInAtItsMountPathOrItsType() {
		Map<String, Object> config = valid();
		config.remove("Token");
		config.put("auth_method", Map.of("type", "approle", "params", Map.of("role_id", "r", "secret_id", "s")));
		VaultSettings.AuthMethod method = VaultSettings.of(new ProviderConfig("vault", config, false)).authMethod();
		assertThat(method).isNotNull();
		assertThat(method.loginPath()).isEqualTo("auth/approle/login");
		assertThat(method.params()).containsEntry("secret_id", "s");
		assertThat(method.toString()).doesNotContain("secret_id");
	}

}
