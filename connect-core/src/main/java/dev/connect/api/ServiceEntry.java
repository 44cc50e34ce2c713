package dev.connect.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One element of {@code GET /v1/health/service/<name>} and {@code /v1/health/connect/<name>}: a node, a service
 * instance on it and the checks of both.
 *
 * @param node the node
 * @param service the service instance
 * @param checks the node's checks and the instance's checks, never {@code null}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ServiceEntry(@JsonProperty("Node") Node node, @JsonProperty("Service") NodeService service,
		@JsonProperty("Checks") List<HealthCheck> checks) {

	public ServiceEntry {
		checks = (checks != null) ? List.copyOf(checks) : List.of();
	}

}
