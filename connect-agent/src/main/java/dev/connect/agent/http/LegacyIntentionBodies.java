package dev.connect.agent.http;

import dev.connect.api.Intention;
import org.jspecify.annotations.Nullable;

/**
 * Bodies of the legacy ID API ({@code POST /v1/connect/intentions}, {@code PUT /v1/connect/intentions/<id>}),
 * refused where Consul CE refuses them, in its order and with its texts: the agent serves one partition, one
 * namespace and no peer, and never stores an intention scoped elsewhere as the local name it also carries.
 */
final class LegacyIntentionBodies {

	/** Consul's legacy endpoints answer a body they cannot decode with a plain error (500). */
	private static final String DECODE_FAILED = "Failed to decode request body: ";

	private static final String NAMESPACES_ARE_ENTERPRISE = "Namespaces is a Consul Enterprise feature";

	private LegacyIntentionBodies() {
	}

	/**
	 * Decodes a create: a partition other than {@code default} is 400, then a namespace other than
	 * {@code default} 400, then a source peer 500.
	 */
	static Intention create(byte[] body) {
		Intention request = withoutPartitions(body);
		if (!Names.isDefault(nullToEmpty(request.sourceNs()))) {
			throw HttpError
				.badRequestError("Invalid SourceNS(" + request.sourceNs() + "): " + NAMESPACES_ARE_ENTERPRISE);
		}
		if (!Names.isDefault(nullToEmpty(request.destinationNs()))) {
			throw HttpError.badRequestError(
					"Invalid DestinationNS(" + request.destinationNs() + "): " + NAMESPACES_ARE_ENTERPRISE);
		}
		requireNoPeer(request);
		return localNames(request);
	}

	/**
	 * Decodes an update: a partition other than {@code default} is 400, then a source peer 500; Consul refuses a
	 * namespace later, once it knows the intention exists ({@link #requireDefaultNamespaces}).
	 */
	static Intention update(byte[] body) {
		Intention request = withoutPartitions(body);
		requireNoPeer(request);
		return localNames(request);
	}

	/**
	 * Reads {@code SourceName} and {@code DestinationName} as the exact endpoint reads its parameters: a name
	 * qualified for a peer, another partition or another namespace ({@code peer:other/web}, {@code part1/ns/web})
	 * is refused with the exact endpoint's text, never stored as a local name; a name qualified for the default
	 * partition and namespace ({@code default/web}) is the local name.
	 */
	private static Intention localNames(Intention request) {
		String source = nullToEmpty(request.sourceName());
		String destination = nullToEmpty(request.destinationName());
		Names.Entry sourceEntry = Names.parse(source, "source", false);
		Names.Entry destinationEntry = Names.parse(destination, "destination", false);
		requireLocal(sourceEntry, "source");
		requireLocal(destinationEntry, "destination");
		return request.withSource(request.sourceNs(), sourceEntry.name())
			.withDestination(request.destinationNs(), destinationEntry.name());
	}

	static void requireLocal(Names.Entry entry, String side) {
		if (!entry.inDefaultPartition()) {
			throw Names.partitionRefused(side + " partition", entry.partition());
		}
		if (!entry.inDefaultNamespace()) {
			throw Names.namespaceRefused(side + " namespace", entry.namespace());
		}
	}

	/** Refuses a namespace other than {@code default} with the text of Consul's server (500). */
	static void requireDefaultNamespaces(Intention request) {
		String sourceNs = nullToEmpty(request.sourceNs());
		if (!Names.isDefault(sourceNs)) {
			throw Names.namespaceRefused("source namespace", sourceNs);
		}
		String destinationNs = nullToEmpty(request.destinationNs());
		if (!Names.isDefault(destinationNs)) {
			throw Names.namespaceRefused("destination namespace", destinationNs);
		}
	}

	private static Intention withoutPartitions(byte[] body) {
		Intention request;
		try {
			request = Json.read(body, Intention.class, DECODE_FAILED);
		}
		catch (HttpError ex) {
			throw new HttpError(500, ex.reason());
		}
		if (!blankOrDefault(request.destinationPartition())) {
			throw HttpError.badRequest("Cannot specify a destination partition with this endpoint");
		}
		if (!blankOrDefault(request.sourcePartition())) {
			throw HttpError.badRequest("Cannot specify a source partition with this endpoint");
		}
		return request;
	}

	private static void requireNoPeer(Intention request) {
		if (!nullToEmpty(request.sourcePeer()).isEmpty()) {
			throw new HttpError(500, "SourcePeer field is not supported on this endpoint. Use config entries instead");
		}
	}

	/** Consul compares the body's partitions with {@code default} exactly here. */
	private static boolean blankOrDefault(@Nullable String partition) {
		return partition == null || partition.isEmpty() || partition.equals("default");
	}

	private static String nullToEmpty(@Nullable String value) {
		return (value != null) ? value : "";
	}

}
