package dev.connect.agent.http;

/**
 * The agent's datacenter, as Consul's RPC forwarding sees {@code ?dc=}: the agent is the only server it knows, so a
 * request for another datacenter has nowhere to go. Handlers whose Consul twin asks a server for the answer call
 * {@link #route(Exchange)} at the point where Consul makes that call; the agent's own endpoints
 * ({@code /v1/agent/...}) do not read {@code ?dc=}, and intention writes go to the primary datacenter (this one)
 * whatever they name, as in Consul.
 *
 * @param name the agent's datacenter
 */
record Datacenter(String name) {

	/** Consul's {@code structs.ErrNoDCPath}. */
	static final String NO_PATH = "No path to datacenter";

	/**
	 * Refuses a request for another datacenter. An empty or missing {@code ?dc=} is this one; the comparison is
	 * exact, as Consul's.
	 * @throws HttpError 500 {@value #NO_PATH}
	 */
	void route(Exchange exchange) {
		route(exchange.param("dc"));
	}

	/**
	 * Refuses a request whose body names another datacenter ({@code Datacenter} of a catalog write).
	 * @throws HttpError 500 {@value #NO_PATH}
	 */
	void route(@org.jspecify.annotations.Nullable String requested) {
		if (requested != null && !requested.isEmpty() && !requested.equals(this.name)) {
			throw new HttpError(500, NO_PATH);
		}
	}

}
