package dev.connect.autoconfigure.caller;

import java.util.Optional;

import dev.connect.identity.ServiceIdentity;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Resolves a handler parameter of type {@link ServiceIdentity} (or {@code Optional<ServiceIdentity>}) to the mesh
 * caller of the request ({@link ConnectCaller#ATTRIBUTE}). Without a caller, a {@code @Nullable} parameter is
 * {@code null}, an {@code Optional} one empty, and any other refuses the request with 403: a handler that needs to
 * know its caller never runs without one.
 */
final class ServiceIdentityArgumentResolver implements HandlerMethodArgumentResolver {

	static final String NO_CALLER = "No mesh caller for parameter '%s' of %s: the request did not pass the mesh "
			+ "port's authorization (it came through another port, or connect.authorization.enabled is false); "
			+ "declare the parameter @Nullable or Optional<ServiceIdentity> to accept such requests";

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.nestedIfOptional().getNestedParameterType() == ServiceIdentity.class;
	}

	@Override
	public Mono<Object> resolveArgument(MethodParameter parameter, BindingContext bindingContext,
			ServerWebExchange exchange) {
		ServiceIdentity caller = exchange.getAttribute(ConnectCaller.ATTRIBUTE);
		if (parameter.getParameterType() == Optional.class) {
			return Mono.just(Optional.ofNullable(caller));
		}
		if (caller != null) {
			return Mono.just(caller);
		}
		if (parameter.isOptional()) {
			return Mono.empty();
		}
		return Mono.error(new ResponseStatusException(HttpStatus.FORBIDDEN, String.format(NO_CALLER,
				name(parameter), parameter.getContainingClass().getSimpleName() + "."
						+ parameter.getExecutable().getName())));
	}

	private static String name(MethodParameter parameter) {
		String name = parameter.getParameterName();
		return (name != null) ? name : "#" + parameter.getParameterIndex();
	}

}
