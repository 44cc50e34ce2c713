package dev.connect.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * An intention as the intentions API reads and writes it (Consul's {@code Intention}, CE fields). Fields Consul
 * marks {@code omitempty} are left out when empty.
 *
 * @param id the UUID of an intention made through the legacy ID API; empty for the exact API
 * @param description free text, at most 512 characters
 * @param sourceNs the source namespace, {@code default} in CE
 * @param sourceName the source service, or {@code *}
 * @param destinationNs the destination namespace, {@code default} in CE
 * @param destinationName the destination service, or {@code *}
 * @param sourcePartition the source partition (Enterprise), omitted when empty
 * @param destinationPartition the destination partition (Enterprise), omitted when empty
 * @param sourcePeer the source peer, omitted when empty
 * @param sourceType {@code consul}
 * @param action {@code allow} or {@code deny}; empty for an L7 intention
 * @param permissions L7 permissions, stored and returned as given; omitted when empty
 * @param meta opaque metadata, omitted when empty
 * @param precedence read-only: 9, 8, 6 or 5 in CE
 * @param createdAt when a legacy intention was made; omitted otherwise
 * @param updatedAt when a legacy intention last changed; omitted otherwise
 * @param createIndex the index at which it was created
 * @param modifyIndex the index at which it last changed
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Intention(@JsonProperty("ID") @JsonInclude(JsonInclude.Include.NON_EMPTY) @Nullable String id,
		@JsonProperty("Description") @Nullable String description,
		@JsonProperty("SourceNS") @Nullable String sourceNs, @JsonProperty("SourceName") @Nullable String sourceName,
		@JsonProperty("DestinationNS") @Nullable String destinationNs,
		@JsonProperty("DestinationName") @Nullable String destinationName,
		@JsonProperty("SourcePartition") @JsonInclude(JsonInclude.Include.NON_EMPTY) @Nullable String sourcePartition,
		@JsonProperty("DestinationPartition") @JsonInclude(JsonInclude.Include.NON_EMPTY) @Nullable String destinationPartition,
		@JsonProperty("SourcePeer") @JsonInclude(JsonInclude.Include.NON_EMPTY) @Nullable String sourcePeer,
		@JsonProperty("SourceType") @Nullable String sourceType,
		@JsonProperty("Action") @JsonInclude(JsonInclude.Include.NON_EMPTY) @Nullable String action,
		@JsonProperty("Permissions") @JsonInclude(JsonInclude.Include.NON_EMPTY) @Nullable List<Map<String, Object>> permissions,
		@JsonProperty("Meta") @JsonInclude(JsonInclude.Include.NON_EMPTY) @Nullable Map<String, String> meta,
		@JsonProperty("Precedence") int precedence,
		@JsonProperty("CreatedAt") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Instant createdAt,
		@JsonProperty("UpdatedAt") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Instant updatedAt,
		@JsonProperty("CreateIndex") long createIndex, @JsonProperty("ModifyIndex") long modifyIndex) {

	/**
	 * Returns an intention request for the exact API: source, destination and action only.
	 * @param source the source service or {@code *}
	 * @param destination the destination service or {@code *}
	 * @param action {@code allow} or {@code deny}
	 * @return the request body
	 */
	public static Intention of(String source, String destination, String action) {
		return new Intention(null, "", "default", source, "default", destination, null, null, null, "consul", action,
				null, null, 0, null, null, 0, 0);
	}

}
