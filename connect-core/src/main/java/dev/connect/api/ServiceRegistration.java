package dev.connect.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code PUT /v1/agent/service/register}; keys in PascalCase or snake_case.
 *
 * @param id the instance ID, unique on the agent; the name when empty
 * @param name the service name (required)
 * @param tags tags
 * @param address the address clients use; the node address when empty
 * @param taggedAddresses addresses by name, kept as given
 * @param meta metadata: at most 64 pairs, keys of letters, digits, {@code _} and {@code -} up to 128 characters,
 * values up to 512
 * @param port the port
 * @param kind {@code ""} for a service, {@code connect-proxy} for a sidecar proxy
 * @param proxy the proxy block of a {@code connect-proxy}
 * @param connect the Connect block: native, or a sidecar to register
 * @param check one check
 * @param checks several checks
 * @param enableTagOverride whether anti-entropy may change tags
 * @param weights SRV weights, {@code {1,1}} by default
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ServiceRegistration(@JsonProperty("ID") @JsonAlias("id") @Nullable String id,
		@JsonProperty("Name") @JsonAlias("name") @Nullable String name,
		@JsonProperty("Tags") @JsonAlias("tags") @Nullable List<String> tags,
		@JsonProperty("Address") @JsonAlias("address") @Nullable String address,
		@JsonProperty("TaggedAddresses") @JsonAlias("tagged_addresses") @Nullable Map<String, Object> taggedAddresses,
		@JsonProperty("Meta") @JsonAlias("meta") @Nullable Map<String, String> meta,
		@JsonProperty("Port") @JsonAlias("port") int port,
		@JsonProperty("Kind") @JsonAlias("kind") @Nullable String kind,
		@JsonProperty("Proxy") @JsonAlias("proxy") @Nullable ConnectProxyConfig proxy,
		@JsonProperty("Connect") @JsonAlias("connect") @Nullable ServiceConnect connect,
		@JsonProperty("Check") @JsonAlias("check") @Nullable CheckDefinition check,
		@JsonProperty("Checks") @JsonAlias("checks") @Nullable List<CheckDefinition> checks,
		@JsonProperty("EnableTagOverride") @JsonAlias("enable_tag_override") boolean enableTagOverride,
		@JsonProperty("Weights") @JsonAlias("weights") @Nullable Weights weights) {

	/**
	 * Returns a Connect-native registration with checks.
	 * @param id the instance ID
	 * @param name the service name
	 * @param address the address
	 * @param port the port
	 * @param checks the checks
	 * @return the registration
	 */
	public static ServiceRegistration connectNative(String id, String name, String address, int port,
			List<CheckDefinition> checks) {
		return new ServiceRegistration(id, name, List.of(), address, null, Map.of(), port, null, null,
				ServiceConnect.NATIVE, null, checks, false, null);
	}

}
