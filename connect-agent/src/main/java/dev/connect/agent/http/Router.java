package dev.connect.agent.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.netty.handler.codec.http.HttpMethod;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Maps paths to handlers. A route is an exact path or a prefix ending in {@code /} whose remainder the handler
 * reads (Consul's {@code /v1/agent/connect/ca/leaf/<service>}). The longest matching route wins; a path without a
 * route is 404 with Consul's text, a known path with another method is 405 with {@code Allow}, and
 * {@code OPTIONS} answers 200 with {@code Allow}.
 */
final class Router {

	static final String NOT_FOUND = "Invalid URL path: not a recognized HTTP API endpoint";

	private final Map<String, Route> exact = new LinkedHashMap<>();

	private final List<Route> prefixes = new ArrayList<>();

	Router add(String path, Set<HttpMethod> methods, Function<Exchange, Mono<Reply>> handler) {
		Route route = new Route(path, new LinkedHashSet<>(methods), handler);
		if (path.endsWith("/")) {
			this.prefixes.add(route);
			this.prefixes.sort(Comparator.comparingInt((Route r) -> r.path().length()).reversed());
		}
		else {
			this.exact.put(path, route);
		}
		return this;
	}

	Router get(String path, Function<Exchange, Mono<Reply>> handler) {
		return add(path, Set.of(HttpMethod.GET), handler);
	}

	@Nullable Match match(String path) {
		Route route = this.exact.get(path);
		if (route != null) {
			return new Match(route, "");
		}
		for (Route prefix : this.prefixes) {
			if (path.startsWith(prefix.path())) {
				return new Match(prefix, path.substring(prefix.path().length()));
			}
		}
		return null;
	}

	record Route(String path, Set<HttpMethod> methods, Function<Exchange, Mono<Reply>> handler) {

		String allow() {
			Set<String> names = this.methods.stream().map(HttpMethod::name).collect(Collectors.toCollection(
					LinkedHashSet::new));
			names.add("OPTIONS");
			return String.join(",", names);
		}

	}

	record Match(Route route, String remainder) {
	}

}
