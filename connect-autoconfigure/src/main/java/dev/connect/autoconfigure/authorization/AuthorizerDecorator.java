package dev.connect.autoconfigure.authorization;

import dev.connect.authz.Authorizer;

/**
 * Wraps the authorizer the web filter uses, for cross-cutting concerns such as metrics. Declare a bean of this
 * type to add one; decorators apply in bean order.
 */
@FunctionalInterface
public interface AuthorizerDecorator {

	/**
	 * Wraps an authorizer.
	 * @param authorizer the authorizer to wrap
	 * @return the wrapping authorizer
	 */
	Authorizer decorate(Authorizer authorizer);

}
