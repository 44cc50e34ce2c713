package dev.connect.authz;

import dev.connect.identity.SpiffeId;
import reactor.core.publisher.Mono;

/**
 * Decides whether a caller, identified by its validated SPIFFE ID, may call this service. An error signal means no
 * decision could be made: callers must refuse the request (fail closed).
 */
@FunctionalInterface
public interface Authorizer {

	/**
	 * Decides for one caller.
	 * @param caller the caller's validated SPIFFE ID
	 * @return the decision, or an error when none can be made
	 */
	Mono<Decision> authorize(SpiffeId caller);

}
