package dev.connect.agent.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.connect.api.AgentService;
import dev.connect.api.HealthCheck;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code PUT /v1/catalog/register} (Consul's {@code RegisterRequest}): a node other than the agent's,
 * optionally one service on it, and checks of the node or of that service. The data directory keeps the external
 * nodes in this form too.
 *
 * @param id the node ID, a UUID, or {@code null}
 * @param node the node name (required)
 * @param address the node address (required unless {@code skipNodeUpdate})
 * @param datacenter the datacenter, or {@code null} for the agent's
 * @param taggedAddresses the node's tagged addresses
 * @param nodeMeta the node's metadata
 * @param service the service, in the agent's service JSON ({@code Service} is the name)
 * @param check one check (Consul's older form; joined to {@code checks})
 * @param checks checks; one without a {@code ServiceID} belongs to the node
 * @param skipNodeUpdate whether the node's address, tagged addresses and metadata are left as they are
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ExternalRegistration(@JsonProperty("ID") @Nullable String id, @JsonProperty("Node") @Nullable String node,
		@JsonProperty("Address") @Nullable String address, @JsonProperty("Datacenter") @Nullable String datacenter,
		@JsonProperty("TaggedAddresses") @Nullable Map<String, String> taggedAddresses,
		@JsonProperty("NodeMeta") @Nullable Map<String, String> nodeMeta,
		@JsonProperty("Service") @Nullable AgentService service, @JsonProperty("Check") @Nullable HealthCheck check,
		@JsonProperty("Checks") @Nullable List<HealthCheck> checks,
		@JsonProperty("SkipNodeUpdate") boolean skipNodeUpdate) {

	/** The single {@code Check} and the {@code Checks}, as Consul joins them before applying the request. */
	List<HealthCheck> allChecks() {
		List<HealthCheck> all = new ArrayList<>();
		if (this.checks != null) {
			this.checks.stream().filter(java.util.Objects::nonNull).forEach(all::add);
		}
		if (this.check != null) {
			all.add(this.check);
		}
		return all;
	}

	String nodeName() {
		return (this.node != null) ? this.node : "";
	}

}
