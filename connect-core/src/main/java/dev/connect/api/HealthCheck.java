package dev.connect.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The state of one check (Consul's {@code HealthCheck}). {@code ServiceTags} is never {@code null}.
 *
 * @param node the node name
 * @param checkId the check ID
 * @param name the check name
 * @param status {@code passing}, {@code warning} or {@code critical}
 * @param notes free text from the definition
 * @param output the last output
 * @param serviceId the service instance the check belongs to, empty for node checks
 * @param serviceName the service name, empty for node checks
 * @param serviceTags the service's tags
 * @param type {@code ttl}, {@code http}, {@code tcp}, {@code alias}, or empty for the node check
 * @param createIndex the index at which the check was registered
 * @param modifyIndex the index at which it last changed
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HealthCheck(@JsonProperty("Node") String node, @JsonProperty("CheckID") String checkId,
		@JsonProperty("Name") String name, @JsonProperty("Status") String status, @JsonProperty("Notes") String notes,
		@JsonProperty("Output") String output, @JsonProperty("ServiceID") String serviceId,
		@JsonProperty("ServiceName") String serviceName, @JsonProperty("ServiceTags") List<String> serviceTags,
		@JsonProperty("Type") String type, @JsonProperty("CreateIndex") long createIndex,
		@JsonProperty("ModifyIndex") long modifyIndex) {

	public HealthCheck {
		serviceTags = (serviceTags != null) ? List.copyOf(serviceTags) : List.of();
	}

}
