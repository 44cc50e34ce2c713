package dev.connect.authz;

import java.time.Duration;
import java.util.function.Supplier;

import dev.connect.api.AuthorizeRequest;
import dev.connect.client.AgentClient;
import dev.connect.identity.SpiffeId;
import dev.connect.identity.TrustDomain;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Asks the agent ({@code POST /v1/agent/connect/authorize}, target = this service). A caller from another trust
 * domain is denied here, before any agent call: Consul's endpoint ignores the trust domain, and the identity that
 * counts is the full SPIFFE ID.
 */
public final class AgentAuthorizer implements Authorizer {

	static final String FOREIGN = "Caller '%s' is not in this mesh's trust domain '%s'";

	private final AgentClient client;

	private final String service;

	private final Supplier<@Nullable TrustDomain> trustDomain;

	private final Duration timeout;

	/**
	 * Creates an authorizer.
	 * @param client the agent client
	 * @param service this service's name, the target of every decision
	 * @param trustDomain the current trust domain (from the certificate source)
	 * @param timeout how long one agent call may take
	 */
	public AgentAuthorizer(AgentClient client, String service, Supplier<@Nullable TrustDomain> trustDomain,
			Duration timeout) {
		this.client = client;
		this.service = service;
		this.trustDomain = trustDomain;
		this.timeout = timeout;
	}

	@Override
	public Mono<Decision> authorize(SpiffeId caller) {
		TrustDomain ours = this.trustDomain.get();
		if (ours == null || !caller.isMemberOf(ours)) {
			return Mono.just(new Decision(false, String.format(FOREIGN, caller, ours), false));
		}
		return this.client.authorize(new AuthorizeRequest(this.service, caller.toString(), null))
			.timeout(this.timeout)
			.map((result) -> new Decision(result.authorized(), result.reason(), false));
	}

}
