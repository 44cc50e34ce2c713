package dev.connect.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * A check in a service registration ({@code Check} / {@code Checks}); keys in PascalCase or snake_case, durations
 * as Go duration strings.
 *
 * @param checkId the check ID ({@code CheckID} or {@code ID}); generated when empty
 * @param name the name; generated when empty
 * @param notes free text
 * @param status initial status: {@code passing}, {@code warning} or {@code critical} (default)
 * @param serviceId the service the check belongs to (check register endpoint)
 * @param ttl the TTL of a TTL check, for example {@code 15s}
 * @param http the URL of an HTTP check
 * @param method the HTTP method, {@code GET} by default
 * @param header HTTP headers to send
 * @param body the request body an HTTP check sends
 * @param tlsSkipVerify whether an HTTPS check skips certificate verification
 * @param tlsServerName the server name an HTTPS check sends (SNI) and verifies, instead of the URL's host
 * @param tcp the {@code host:port} of a TCP check
 * @param interval how often an HTTP or TCP check runs
 * @param timeout how long one HTTP or TCP check may take, 10 s by default
 * @param deregisterCriticalServiceAfter how long the check may stay critical before its service is removed
 * @param aliasService the service an alias check mirrors
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record CheckDefinition(@JsonProperty("CheckID") @JsonAlias({ "ID", "check_id", "id" }) @Nullable String checkId,
		@JsonProperty("Name") @JsonAlias("name") @Nullable String name,
		@JsonProperty("Notes") @JsonAlias("notes") @Nullable String notes,
		@JsonProperty("Status") @JsonAlias("status") @Nullable String status,
		@JsonProperty("ServiceID") @JsonAlias("service_id") @Nullable String serviceId,
		@JsonProperty("TTL") @JsonAlias("ttl") @Nullable String ttl,
		@JsonProperty("HTTP") @JsonAlias("http") @Nullable String http,
		@JsonProperty("Method") @JsonAlias("method") @Nullable String method,
		@JsonProperty("Header") @JsonAlias("header") @Nullable Map<String, List<String>> header,
		@JsonProperty("Body") @JsonAlias("body") @Nullable String body,
		@JsonProperty("TLSSkipVerify") @JsonAlias("tls_skip_verify") boolean tlsSkipVerify,
		@JsonProperty("TLSServerName") @JsonAlias("tls_server_name") @Nullable String tlsServerName,
		@JsonProperty("TCP") @JsonAlias("tcp") @Nullable String tcp,
		@JsonProperty("Interval") @JsonAlias("interval") @Nullable String interval,
		@JsonProperty("Timeout") @JsonAlias("timeout") @Nullable String timeout,
		@JsonProperty("DeregisterCriticalServiceAfter") @JsonAlias("deregister_critical_service_after") @Nullable String deregisterCriticalServiceAfter,
		@JsonProperty("AliasService") @JsonAlias("alias_service") @Nullable String aliasService) {

	/**
	 * Returns a TTL check definition.
	 * @param checkId the check ID
	 * @param ttl the TTL as a Go duration
	 * @param deregisterAfter the Go duration after which a critical service is removed, or {@code null}
	 * @return the definition
	 */
	public static CheckDefinition ttl(String checkId, String ttl, @Nullable String deregisterAfter) {
		return new CheckDefinition(checkId, null, null, null, null, ttl, null, null, null, null, false, null, null, null,
				null, deregisterAfter, null);
	}

}
