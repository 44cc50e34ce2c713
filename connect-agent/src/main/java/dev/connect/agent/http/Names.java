package dev.connect.agent.http;

import java.util.List;
import java.util.Locale;

/**
 * Consul's service name syntax in intention query parameters: {@code name}, {@code ns/name},
 * {@code partition/ns/name}, {@code peer:<peer>/name} or {@code peer:<peer>/ns/name}, parsed as Consul's
 * {@code parseIntentionStringComponent} does. A parsed name keeps its peer, partition and namespace: a name
 * qualified for another peer, partition or namespace is never the local service of the same name. Errors are
 * plain (500) with Consul's text.
 */
final class Names {

	private static final String PEER_PREFIX = "peer:";

	private static final String DEFAULT = "default";

	private Names() {
	}

	/**
	 * Returns a parameter that must be given once; exact writes also refuse an empty value (Consul's reads and
	 * checks take it as the empty name).
	 */
	static String required(Exchange exchange, String parameter, boolean nonEmpty) {
		List<String> values = exchange.params(parameter);
		if (values.size() != 1 || (nonEmpty && values.get(0).isEmpty())) {
			throw new HttpError(500, "required query parameter '" + parameter + "' not set");
		}
		return values.get(0);
	}

	/**
	 * Parses a name; only the source of an exact read may name a peer.
	 */
	static Entry parse(String input, String parameter, boolean peerAllowed) {
		if (input.startsWith(PEER_PREFIX) && !peerAllowed) {
			throw invalid(parameter, input, "cannot specify a peer here");
		}
		String[] parts = input.split("/", -1);
		boolean peer = parts[0].startsWith(PEER_PREFIX);
		String peerName = peer ? parts[0].substring(PEER_PREFIX.length()) : "";
		return switch (parts.length) {
			case 1 -> {
				if (peer) {
					throw invalid(parameter, input, "need to specify the service name as well");
				}
				yield new Entry("", "", "", parts[0]);
			}
			case 2 -> peer ? new Entry(peerName, "", "", parts[1]) : new Entry("", "", parts[0], parts[1]);
			case 3 -> peer ? new Entry(peerName, "", parts[1], parts[2]) : new Entry("", parts[0], parts[1], parts[2]);
			default -> throw invalid(parameter, input, "input can contain at most two '/'");
		};
	}

	private static HttpError invalid(String parameter, String input, String reason) {
		return new HttpError(500, parameter + " \"" + input + "\" is invalid: " + reason);
	}

	/**
	 * Whether a namespace or partition is the default one: empty (the default is implied) or {@code default} in
	 * any case, as Consul CE compares them.
	 */
	static boolean isDefault(String value) {
		return value.isEmpty() || value.toLowerCase(Locale.ROOT).equals(DEFAULT);
	}

	/**
	 * Consul CE's refusal of a namespace other than {@code default}, for example {@code Invalid SourceNS "team":
	 * Namespaces is a Consul Enterprise feature}.
	 * @param subject what Consul calls the field: {@code source namespace}, {@code SourceNS}, {@code match entry
	 * namespace}...
	 */
	static HttpError namespaceRefused(String subject, String namespace) {
		return new HttpError(500, "Invalid " + subject + " \"" + namespace
				+ "\": Namespaces is a Consul Enterprise feature");
	}

	/**
	 * Consul CE's refusal of a partition other than {@code default}, for example {@code Invalid source partition
	 * "part1": Partitions is a Consul Enterprise feature}.
	 */
	static HttpError partitionRefused(String subject, String partition) {
		return new HttpError(500, "Invalid " + subject + " \"" + partition
				+ "\": Partitions is a Consul Enterprise feature");
	}

	/**
	 * A parsed name.
	 * @param peer the peer, empty for this cluster
	 * @param partition the partition, empty when not given
	 * @param namespace the namespace, empty when not given
	 * @param name the service name
	 */
	record Entry(String peer, String partition, String namespace, String name) {

		boolean inDefaultNamespace() {
			return isDefault(this.namespace);
		}

		boolean inDefaultPartition() {
			return isDefault(this.partition);
		}

	}

}
