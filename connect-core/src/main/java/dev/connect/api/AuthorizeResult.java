package dev.connect.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The answer of {@code POST /v1/agent/connect/authorize}.
 *
 * @param authorized whether the caller may connect
 * @param reason why, for example {@code Matched L4 intention: ...} or {@code Default intention policy}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AuthorizeResult(@JsonProperty("Authorized") boolean authorized, @JsonProperty("Reason") String reason) {

}
