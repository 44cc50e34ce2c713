package dev.connect.autoconfigure.caller;

import dev.connect.identity.ServiceIdentity;
import org.springframework.core.Ordered;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Makes the mesh caller of a request Spring Security's authentication: a {@link ConnectCallerAuthentication} in the
 * Reactor context ({@link ReactiveSecurityContextHolder}) and as the exchange's principal. It runs after the
 * authorization filter, which sets the caller only once an intention allowed it, and before Spring Security's filter
 * chain, whose context filter keeps a security context already present instead of loading one from its repository;
 * so Spring Security's rules and method security apply on top of intentions, never instead of them. A request
 * without a caller passes untouched, for Spring Security to authenticate as it is configured to.
 */
final class CallerAuthenticationWebFilter implements WebFilter, Ordered {

	/**
	 * After the authorization filter ({@code HIGHEST_PRECEDENCE + 10}), well before Spring Security's
	 * {@code WebFilterChainProxy} ({@code -100}).
	 */
	static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServiceIdentity caller = exchange.getAttribute(ConnectCaller.ATTRIBUTE);
		if (caller == null) {
			return chain.filter(exchange);
		}
		ConnectCallerAuthentication authentication = new ConnectCallerAuthentication(caller);
		return chain.filter(exchange.mutate().principal(Mono.just(authentication)).build())
			.contextWrite(ReactiveSecurityContextHolder.withAuthentication(authentication));
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
