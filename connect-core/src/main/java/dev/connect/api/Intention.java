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

	/**
	 * Returns a copy with another legacy ID.
	 * @param id the UUID, or {@code null} for an intention of the exact API
	 * @return the copy
	 */
	public Intention withId(@Nullable String id) {
		return new Intention(id, this.description, this.sourceNs, this.sourceName, this.destinationNs,
				this.destinationName, this.sourcePartition, this.destinationPartition, this.sourcePeer, this.sourceType,
				this.action, this.permissions, this.meta, this.precedence, this.createdAt, this.updatedAt,
				this.createIndex, this.modifyIndex);
	}

	/**
	 * Returns a copy with another description.
	 * @param description the free text
	 * @return the copy
	 */
	public Intention withDescription(@Nullable String description) {
		return new Intention(this.id, description, this.sourceNs, this.sourceName, this.destinationNs,
				this.destinationName, this.sourcePartition, this.destinationPartition, this.sourcePeer, this.sourceType,
				this.action, this.permissions, this.meta, this.precedence, this.createdAt, this.updatedAt,
				this.createIndex, this.modifyIndex);
	}

	/**
	 * Returns a copy with another source.
	 * @param namespace the source namespace
	 * @param name the source service, or {@code *}
	 * @return the copy
	 */
	public Intention withSource(@Nullable String namespace, @Nullable String name) {
		return new Intention(this.id, this.description, namespace, name, this.destinationNs, this.destinationName,
				this.sourcePartition, this.destinationPartition, this.sourcePeer, this.sourceType, this.action,
				this.permissions, this.meta, this.precedence, this.createdAt, this.updatedAt, this.createIndex,
				this.modifyIndex);
	}

	/**
	 * Returns a copy with another destination.
	 * @param namespace the destination namespace
	 * @param name the destination service, or {@code *}
	 * @return the copy
	 */
	public Intention withDestination(@Nullable String namespace, @Nullable String name) {
		return new Intention(this.id, this.description, this.sourceNs, this.sourceName, namespace, name,
				this.sourcePartition, this.destinationPartition, this.sourcePeer, this.sourceType, this.action,
				this.permissions, this.meta, this.precedence, this.createdAt, this.updatedAt, this.createIndex,
				this.modifyIndex);
	}

	/**
	 * Returns a copy with other partitions and source peer (Enterprise and peering scopes).
	 * @param sourcePartition the source partition
	 * @param destinationPartition the destination partition
	 * @param sourcePeer the source peer
	 * @return the copy
	 */
	public Intention withScope(@Nullable String sourcePartition, @Nullable String destinationPartition,
			@Nullable String sourcePeer) {
		return new Intention(this.id, this.description, this.sourceNs, this.sourceName, this.destinationNs,
				this.destinationName, sourcePartition, destinationPartition, sourcePeer, this.sourceType, this.action,
				this.permissions, this.meta, this.precedence, this.createdAt, this.updatedAt, this.createIndex,
				this.modifyIndex);
	}

	/**
	 * Returns a copy with another source type.
	 * @param sourceType the source type, {@code consul}
	 * @return the copy
	 */
	public Intention withSourceType(@Nullable String sourceType) {
		return new Intention(this.id, this.description, this.sourceNs, this.sourceName, this.destinationNs,
				this.destinationName, this.sourcePartition, this.destinationPartition, this.sourcePeer, sourceType,
				this.action, this.permissions, this.meta, this.precedence, this.createdAt, this.updatedAt,
				this.createIndex, this.modifyIndex);
	}

	/**
	 * Returns a copy with another action and L7 permissions.
	 * @param action {@code allow} or {@code deny}, or {@code null} for an L7 intention
	 * @param permissions the L7 permissions, or {@code null}
	 * @return the copy
	 */
	public Intention withAction(@Nullable String action, @Nullable List<Map<String, Object>> permissions) {
		return new Intention(this.id, this.description, this.sourceNs, this.sourceName, this.destinationNs,
				this.destinationName, this.sourcePartition, this.destinationPartition, this.sourcePeer, this.sourceType,
				action, permissions, this.meta, this.precedence, this.createdAt, this.updatedAt, this.createIndex,
				this.modifyIndex);
	}

	/**
	 * Returns a copy with other metadata.
	 * @param meta the metadata, or {@code null}
	 * @return the copy
	 */
	public Intention withMeta(@Nullable Map<String, String> meta) {
		return new Intention(this.id, this.description, this.sourceNs, this.sourceName, this.destinationNs,
				this.destinationName, this.sourcePartition, this.destinationPartition, this.sourcePeer, this.sourceType,
				this.action, this.permissions, meta, this.precedence, this.createdAt, this.updatedAt, this.createIndex,
				this.modifyIndex);
	}

	/**
	 * Returns a copy with another precedence.
	 * @param precedence the precedence
	 * @return the copy
	 */
	public Intention withPrecedence(int precedence) {
		return new Intention(this.id, this.description, this.sourceNs, this.sourceName, this.destinationNs,
				this.destinationName, this.sourcePartition, this.destinationPartition, this.sourcePeer, this.sourceType,
				this.action, this.permissions, this.meta, precedence, this.createdAt, this.updatedAt, this.createIndex,
				this.modifyIndex);
	}

	/**
	 * Returns a copy with other legacy timestamps.
	 * @param createdAt when it was made, or {@code null}
	 * @param updatedAt when it last changed, or {@code null}
	 * @return the copy
	 */
	public Intention withTimestamps(@Nullable Instant createdAt, @Nullable Instant updatedAt) {
		return new Intention(this.id, this.description, this.sourceNs, this.sourceName, this.destinationNs,
				this.destinationName, this.sourcePartition, this.destinationPartition, this.sourcePeer, this.sourceType,
				this.action, this.permissions, this.meta, this.precedence, createdAt, updatedAt, this.createIndex,
				this.modifyIndex);
	}

	/**
	 * Returns a copy with other indexes.
	 * @param createIndex the index at which it was created
	 * @param modifyIndex the index at which it last changed
	 * @return the copy
	 */
	public Intention withIndexes(long createIndex, long modifyIndex) {
		return new Intention(this.id, this.description, this.sourceNs, this.sourceName, this.destinationNs,
				this.destinationName, this.sourcePartition, this.destinationPartition, this.sourcePeer, this.sourceType,
				this.action, this.permissions, this.meta, this.precedence, this.createdAt, this.updatedAt, createIndex,
				modifyIndex);
	}

}
