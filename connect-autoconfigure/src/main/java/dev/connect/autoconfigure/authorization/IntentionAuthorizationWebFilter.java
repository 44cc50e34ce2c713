package dev.connect.autoconfigure.authorization;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import dev.connect.authz.Authorizer;
import dev.connect.autoconfigure.caller.ConnectCaller;
import dev.connect.identity.ServiceIdentity;
import dev.connect.pki.SvidValidator;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Authorizes every request on the mesh port: the peer certificate (validated in the handshake) gives the caller's
 * SPIFFE ID, and the {@link Authorizer} decides.
 * <ul>
 * <li>Allowed: the request proceeds, with the caller's {@link ServiceIdentity} as the exchange attribute
 * {@link ConnectCaller#ATTRIBUTE} (when its SPIFFE ID is a Consul service's).</li>
 * <li>Denied: 403 {@code application/problem+json} that names no intention; the handler is never invoked; the
 * caller, this service, the reason and the command that would allow it are logged at INFO, once a minute per
 * caller at most.</li>
 * <li>No decision (agent unreachable and nothing cached): 503; the handler is never invoked (fail closed).</li>
 * <li>A TLS request without a peer certificate or without a SPIFFE ID: 403.</li>
 * <li>A request on a kept-alive connection whose caller's leaf has expired since the handshake: 403 with
 * {@code Connection: close}, so that the caller's next request makes a new handshake with its current leaf.</li>
 * <li>A caller with an L7 source in this service's {@code service-intentions} entry: its permissions decide (see
 * {@link CallerCheck}); a request whose path or headers the application could read otherwise than the rules gets
 * 400.</li>
 * <li>A request whose caller's chain no longer validates against the current roots (a root was removed since the
 * handshake): 403 with {@code Connection: close}. The chain is validated once per certificate per set of roots,
 * not on every request.</li>
 * <li>A plain (not TLS) request on the mesh port: 403, so that a server whose TLS was switched off fails closed.</li>
 * <li>A plain request on another port passes: it came through another server of the application, such as a
 * separate management port (WebFlux gives a management context the application's web filters too).</li>
 * </ul>
 * The decision itself is {@link CallerCheck}'s, shared with the servlet filter.
 */
public final class IntentionAuthorizationWebFilter implements WebFilter, Ordered {

	static final MediaType PROBLEM = MediaType.parseMediaType("application/problem+json");

	private final CallerCheck check;

	private final IntSupplier meshPort;

	/**
	 * Creates the filter.
	 * @param authorizer the decisions
	 * @param denials where denials are kept for the {@code connect} endpoint
	 * @param meshPort the port of the mesh server ({@code local.server.port})
	 * @param trust the validator of the current roots ({@link dev.connect.tls.CertificateSnapshot#validator()}),
	 * {@code null} while there is none
	 * @param service this service's name, the callee named in denial logs
	 */
	public IntentionAuthorizationWebFilter(Authorizer authorizer, RecentDenials denials, IntSupplier meshPort,
			Supplier<@Nullable SvidValidator> trust, String service) {
		this(authorizer, denials, meshPort, trust, new DenialLog(service, Clock.systemUTC()), Clock.systemUTC());
	}

	IntentionAuthorizationWebFilter(Authorizer authorizer, RecentDenials denials, IntSupplier meshPort,
			Supplier<@Nullable SvidValidator> trust, DenialLog denialLog, Clock clock) {
		this(new CallerCheck(authorizer, denials, trust, denialLog, clock), meshPort);
	}

	IntentionAuthorizationWebFilter(CallerCheck check, IntSupplier meshPort) {
		this.check = check;
		this.meshPort = meshPort;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		SslInfo ssl = exchange.getRequest().getSslInfo();
		if (ssl == null) {
			InetSocketAddress local = exchange.getRequest().getLocalAddress();
			boolean meshPort = local == null || local.getPort() == this.meshPort.getAsInt();
			return meshPort ? problem(exchange, HttpStatus.FORBIDDEN, CallerCheck.NO_IDENTITY) : chain.filter(exchange);
		}
		return this.check.check(ssl.getPeerCertificates(), new ReactiveRequestView(exchange.getRequest()))
			.flatMap((outcome) -> proceedOrRefuse(exchange, chain, outcome));
	}

	private static Mono<Void> proceedOrRefuse(ServerWebExchange exchange, WebFilterChain chain,
			CallerCheck.Outcome outcome) {
		if (outcome.allowed()) {
			ServiceIdentity caller = outcome.caller();
			if (caller != null) {
				exchange.getAttributes().put(ConnectCaller.ATTRIBUTE, caller);
			}
			return chain.filter(exchange);
		}
		if (outcome.close()) {
			exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
		}
		return problem(exchange, HttpStatus.valueOf(outcome.status()), String.valueOf(outcome.detail()));
	}

	private static Mono<Void> problem(ServerWebExchange exchange, HttpStatus status, String detail) {
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(status);
		response.getHeaders().setContentType(PROBLEM);
		byte[] body = CallerCheck.problem(status.value(), status.getReasonPhrase(), detail)
			.getBytes(StandardCharsets.UTF_8);
		response.getHeaders().setContentLength(body.length);
		DataBuffer buffer = response.bufferFactory().wrap(body);
		return response.writeWith(Mono.just(buffer));
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

}
