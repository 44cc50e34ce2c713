package dev.connect.agent.http;

/**
 * Consul's service name syntax in intention query parameters: {@code name}, {@code ns/name},
 * {@code partition/ns/name}, {@code peer:<peer>/name} or {@code peer:<peer>/ns/name}.
 */
final class Names {

	private Names() {
	}

	static Entry of(Exchange exchange, String parameter) {
		java.util.List<String> values = exchange.params(parameter);
		if (values.size() != 1) {
			throw new HttpError(500, "required query parameter '" + parameter + "' not set");
		}
		return parse(values.get(0), parameter);
	}

	static Entry parse(String input, String parameter) {
		String rest = input;
		String peer = "";
		if (rest.startsWith("peer:")) {
			int slash = rest.indexOf('/');
			peer = rest.substring("peer:".length(), (slash < 0) ? rest.length() : slash);
			rest = (slash < 0) ? "" : rest.substring(slash + 1);
		}
		String[] parts = rest.split("/", -1);
		if (parts.length > 3) {
			throw new HttpError(500, parameter + " \"" + input + "\" is invalid: input can contain at most two '/'");
		}
		return switch (parts.length) {
			case 1 -> new Entry(peer, "default", "default", parts[0]);
			case 2 -> new Entry(peer, "default", parts[0], parts[1]);
			default -> new Entry(peer, parts[0], parts[1], parts[2]);
		};
	}

	record Entry(String peer, String partition, String namespace, String name) {
	}

}
