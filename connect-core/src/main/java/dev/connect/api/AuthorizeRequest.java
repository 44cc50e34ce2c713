package dev.connect.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /v1/agent/connect/authorize} (Consul's {@code ConnectAuthorizeRequest}).
 *
 * @param target the destination service name
 * @param clientCertUri the caller's SPIFFE ID, from its certificate's URI SAN
 * @param clientCertSerial the caller's certificate serial as colon-hex; accepted, unused by Consul
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record AuthorizeRequest(@JsonProperty("Target") @Nullable String target,
		@JsonProperty("ClientCertURI") @Nullable String clientCertUri,
		@JsonProperty("ClientCertSerial") @Nullable String clientCertSerial) {

}
