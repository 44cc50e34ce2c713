package dev.connect.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The answer of {@code GET /v1/agent/connect/ca/roots} (Consul's {@code IndexedCARoots}).
 *
 * @param activeRootId the {@code ID} of the active root
 * @param trustDomain {@code <cluster-id>.consul}
 * @param roots the active root and every rotated-out root that is still trusted
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CaRoots(@JsonProperty("ActiveRootID") String activeRootId,
		@JsonProperty("TrustDomain") String trustDomain, @JsonProperty("Roots") List<CaRoot> roots) {

	public CaRoots {
		roots = (roots != null) ? List.copyOf(roots) : List.of();
	}

}
