package dev.connect.autoconfigure.caller;

import java.util.Optional;

import dev.connect.identity.ServiceIdentity;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.server.ResponseStatusException;

/**
 * The Spring MVC form of {@link ServiceIdentityArgumentResolver}, with the same rules: a {@link ServiceIdentity}
 * parameter is the request's mesh caller; without one, a {@code @Nullable} parameter is {@code null}, an
 * {@code Optional} one empty, and any other refuses the request with 403.
 */
final class ServletServiceIdentityArgumentResolver implements HandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.nestedIfOptional().getNestedParameterType() == ServiceIdentity.class;
	}

	@Override
	public @Nullable Object resolveArgument(MethodParameter parameter, @Nullable ModelAndViewContainer container,
			NativeWebRequest request, @Nullable WebDataBinderFactory binders) {
		Object caller = request.getAttribute(ConnectCaller.ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
		ServiceIdentity identity = (caller instanceof ServiceIdentity service) ? service : null;
		if (parameter.getParameterType() == Optional.class) {
			return Optional.ofNullable(identity);
		}
		if (identity != null || parameter.isOptional()) {
			return identity;
		}
		String name = (parameter.getParameterName() != null) ? parameter.getParameterName()
				: "#" + parameter.getParameterIndex();
		throw new ResponseStatusException(HttpStatus.FORBIDDEN, String.format(ServiceIdentityArgumentResolver.NO_CALLER,
				name, parameter.getContainingClass().getSimpleName() + "." + parameter.getExecutable().getName()));
	}

}
