package dev.connect.autoconfigure.authorization;

import java.util.List;
import java.util.Set;

import dev.connect.authz.l7.HttpRequestView;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * A WebFlux request as L7 intentions read it: the path as received (still encoded, without the query), which is the
 * path WebFlux's handler mapping parses; header names as Reactor Netty keeps them, looked up without regard to case.
 */
record ReactiveRequestView(ServerHttpRequest request) implements HttpRequestView {

	@Override
	public String method() {
		return this.request.getMethod().name();
	}

	@Override
	public String rawPath() {
		return this.request.getPath().value();
	}

	@Override
	public Set<String> headerNames() {
		return this.request.getHeaders().headerNames();
	}

	@Override
	public List<String> headerValues(String name) {
		List<String> values = this.request.getHeaders().get(name);
		return (values != null) ? values : List.of();
	}

}
