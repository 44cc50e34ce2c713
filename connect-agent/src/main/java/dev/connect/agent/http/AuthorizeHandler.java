package dev.connect.agent.http;

import java.util.List;

import dev.connect.agent.intentions.IntentionDecision;
import dev.connect.agent.intentions.IntentionStore;
import dev.connect.api.AuthorizeRequest;
import dev.connect.api.AuthorizeResult;
import dev.connect.identity.ServiceIdentity;
import dev.connect.identity.SpiffeId;
import io.netty.handler.codec.http.HttpMethod;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * {@code POST /v1/agent/connect/authorize}, with Consul's algorithm: the target is required, the client URI must be
 * a Connect service identity, and the first intention for the target whose source matches decides (L7 intentions
 * deny); otherwise the default intention policy. Like Consul, the trust domain of the URI is not checked here:
 * callers that know their trust domain check it before asking.
 */
final class AuthorizeHandler {

	private final IntentionStore intentions;

	AuthorizeHandler(IntentionStore intentions) {
		this.intentions = intentions;
	}

	void register(Router router) {
		router.add("/v1/agent/connect/authorize", java.util.Set.of(HttpMethod.POST), this::authorize);
	}

	private Mono<Reply> authorize(Exchange exchange) {
		return Mono.fromCallable(() -> {
			AuthorizeRequest request = Json.read(exchange.body(), AuthorizeRequest.class, "Request decode failed: ");
			if (request.target() == null || request.target().isEmpty()) {
				throw HttpError.badRequest("Target service must be specified");
			}
			ServiceIdentity caller = caller(request.clientCertUri());
			IntentionDecision decision = inDefaultNamespace(caller)
					? this.intentions.decide(caller.service(), request.target())
					: this.intentions.decide("", "");
			return Reply.json(Json.write(new AuthorizeResult(decision.allowed(), decision.reason())))
				.header("X-Cache", "HIT");
		});
	}

	private static boolean inDefaultNamespace(ServiceIdentity caller) {
		return ServiceIdentity.DEFAULT.equals(caller.namespace()) && ServiceIdentity.DEFAULT.equals(caller.partition());
	}

	private static ServiceIdentity caller(@Nullable String uri) {
		SpiffeId id;
		try {
			id = SpiffeId.parse((uri != null) ? uri : "");
		}
		catch (IllegalArgumentException ex) {
			throw HttpError.badRequest("ClientCertURI not a valid Connect identifier");
		}
		List<String> segments = id.segments();
		if (segments.isEmpty() || segments.get(0).equals("agent") || segments.get(0).equals("gateway")
				|| segments.contains("identity")) {
			throw HttpError.badRequest("ClientCertURI not a valid Service identifier");
		}
		try {
			return ServiceIdentity.from(id);
		}
		catch (IllegalArgumentException ex) {
			throw HttpError.badRequest("ClientCertURI not a valid Connect identifier");
		}
	}

}
