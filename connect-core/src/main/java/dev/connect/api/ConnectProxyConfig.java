package dev.connect.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The {@code Proxy} block of a {@code connect-proxy} service: which service it fronts, where that service listens,
 * and its upstreams (kept as given).
 *
 * @param destinationServiceName the service the proxy represents
 * @param destinationServiceId the instance the proxy represents
 * @param localServiceAddress where the proxy reaches the local instance
 * @param localServicePort the local instance's port
 * @param mode {@code ""}, {@code direct} or {@code transparent}
 * @param config opaque proxy configuration
 * @param upstreams upstream definitions, kept as given
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ConnectProxyConfig(
		@JsonProperty("DestinationServiceName") @JsonAlias("destination_service_name") @Nullable String destinationServiceName,
		@JsonProperty("DestinationServiceID") @JsonAlias("destination_service_id") @Nullable String destinationServiceId,
		@JsonProperty("LocalServiceAddress") @JsonAlias("local_service_address") @Nullable String localServiceAddress,
		@JsonProperty("LocalServicePort") @JsonAlias("local_service_port") int localServicePort,
		@JsonProperty("Mode") @JsonAlias("mode") @Nullable String mode,
		@JsonProperty("Config") @JsonAlias("config") @Nullable Map<String, Object> config,
		@JsonProperty("Upstreams") @JsonAlias("upstreams") @Nullable List<Map<String, Object>> upstreams) {

}
