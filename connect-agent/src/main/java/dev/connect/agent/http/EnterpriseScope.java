package dev.connect.agent.http;

import java.util.List;

/**
 * Consul CE's answer to a namespace or partition in the query or headers ({@code parseEntMeta} in
 * {@code agent/http_ce.go}): 400 {@code Bad request: Invalid query parameter: "ns" - Namespaces are a Consul
 * Enterprise feature}, header first, namespace before partition. Endpoints that never read them (the CA roots and
 * configuration, status) answer as if they were absent, as Consul's do.
 */
final class EnterpriseScope {

	static final String NAMESPACES = "Namespaces are a Consul Enterprise feature";

	static final String PARTITIONS = "Partitions are a Consul Enterprise feature";

	private static final List<String> UNSCOPED = List.of("/v1/agent/connect/ca/roots", "/v1/connect/ca/",
			"/v1/status/", "/v1/agent/self", "/v1/agent/members");

	private EnterpriseScope() {
	}

	/**
	 * Refuses a request that names a namespace or partition.
	 * @throws HttpError 400 with Consul's text
	 */
	static void check(String path, Exchange exchange) {
		if (UNSCOPED.stream().anyMatch(path::startsWith)) {
			return;
		}
		refuse(exchange.headers().get("X-Consul-Namespace"), "Invalid header: \"X-Consul-Namespace\" - " + NAMESPACES);
		refuse(exchange.param("ns"), "Invalid query parameter: \"ns\" - " + NAMESPACES);
		refuse(exchange.headers().get("X-Consul-Partition"), "Invalid header: \"X-Consul-Partition\" - " + PARTITIONS);
		refuse(exchange.param("partition"), "Invalid query parameter: \"partition\" - " + PARTITIONS);
	}

	private static void refuse(@org.jspecify.annotations.Nullable String value, String reason) {
		if (value != null && !value.isEmpty()) {
			throw HttpError.badRequestError(reason);
		}
	}

}
