package dev.connect.autoconfigure.authorization;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.connect.authz.Authorizer;
import dev.connect.authz.Decision;
import dev.connect.autoconfigure.caller.ConnectCaller;
import dev.connect.identity.InvalidIdentityException;
import dev.connect.identity.ServiceIdentity;
import dev.connect.identity.SpiffeId;
import dev.connect.pki.InvalidSvidException;
import dev.connect.pki.PeerRole;
import dev.connect.pki.SvidValidator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
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
 * <li>A request whose caller's chain no longer validates against the current roots (a root was removed since the
 * handshake): 403 with {@code Connection: close}. The chain is validated once per certificate per set of roots,
 * not on every request.</li>
 * <li>A plain (not TLS) request on the mesh port: 403, so that a server whose TLS was switched off fails closed.</li>
 * <li>A plain request on another port passes: it came through another server of the application, such as a
 * separate management port (WebFlux gives a management context the application's web filters too).</li>
 * </ul>
 */
public final class IntentionAuthorizationWebFilter implements WebFilter, Ordered {

	private static final Log logger = LogFactory.getLog(IntentionAuthorizationWebFilter.class);

	static final MediaType PROBLEM = MediaType.parseMediaType("application/problem+json");

	/**
	 * How many callers' certificates are remembered. Keys are held weakly and compared by identity (the TLS
	 * session's certificate object, the same on every request of a connection), so an entry goes with its
	 * sessions; past the bound Caffeine evicts one entry at a time, and an evicted caller is only read again.
	 */
	private static final int MAX_CALLERS = 4_096;

	private final Authorizer authorizer;

	private final RecentDenials denials;

	private final DenialLog denialLog;

	private final IntSupplier meshPort;

	private final Clock clock;

	private final Supplier<@Nullable SvidValidator> trust;

	private volatile @Nullable String lastNoDecision;

	/** Callers by leaf certificate object. */
	private final Cache<X509Certificate, Caller> callers = Caffeine.newBuilder()
		.weakKeys()
		.maximumSize(MAX_CALLERS)
		.executor(Runnable::run)
		.build();

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
		this.authorizer = authorizer;
		this.denials = denials;
		this.denialLog = denialLog;
		this.meshPort = meshPort;
		this.trust = trust;
		this.clock = clock;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		SslInfo ssl = exchange.getRequest().getSslInfo();
		if (ssl == null) {
			InetSocketAddress local = exchange.getRequest().getLocalAddress();
			boolean meshPort = local == null || local.getPort() == this.meshPort.getAsInt();
			return meshPort ? problem(exchange, HttpStatus.FORBIDDEN, "The caller presented no mesh identity.")
					: chain.filter(exchange);
		}
		Caller peer = caller(ssl);
		if (peer == null) {
			return problem(exchange, HttpStatus.FORBIDDEN, "The caller presented no mesh identity.");
		}
		if (this.clock.millis() > peer.notAfter()) {
			// Valid at the handshake, expired since: refuse, and close so that the next request handshakes again.
			exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
			return problem(exchange, HttpStatus.FORBIDDEN, "The caller's certificate has expired.");
		}
		if (!trusted(ssl, peer)) {
			// Valid at the handshake, its roots removed since: refuse, and close so no request follows on it.
			exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
			return problem(exchange, HttpStatus.FORBIDDEN, "The caller's certificate is no longer trusted by this mesh.");
		}
		return this.authorizer.authorize(peer.id())
			.map(Optional::of)
			.onErrorResume((error) -> {
				noDecision(peer.id(), error);
				return Mono.just(Optional.empty());
			})
			.flatMap((decision) -> decide(exchange, chain, peer, decision));
	}

	/** Logs why there was no decision: at WARN once per distinct reason in a row, at DEBUG while it repeats. */
	private void noDecision(SpiffeId caller, Throwable error) {
		String reason = String.valueOf(error.getMessage());
		String message = "No authorization decision for '" + caller + "' (request refused): " + reason;
		if (!reason.equals(this.lastNoDecision)) {
			this.lastNoDecision = reason;
			logger.warn(message);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(message);
		}
	}

	private Mono<Void> decide(ServerWebExchange exchange, WebFilterChain chain, Caller caller,
			Optional<Decision> decision) {
		if (decision.isEmpty()) {
			return problem(exchange, HttpStatus.SERVICE_UNAVAILABLE,
					"Authorization is unavailable; the request was not processed.");
		}
		if (this.lastNoDecision != null) {
			this.lastNoDecision = null;
		}
		ServiceIdentity service = caller.service();
		if (decision.get().allowed()) {
			if (service != null) {
				exchange.getAttributes().put(ConnectCaller.ATTRIBUTE, service);
			}
			return chain.filter(exchange);
		}
		this.denials.record(caller.id().toString(), decision.get().reason());
		this.denialLog.denied(caller.id(), service, decision.get().reason());
		return problem(exchange, HttpStatus.FORBIDDEN, "The caller is not allowed to call this service.");
	}

	/**
	 * Whether the caller's chain validates against the current roots: checked the first time the certificate is
	 * seen and again whenever the roots change, and remembered per certificate object until then.
	 */
	private boolean trusted(SslInfo ssl, Caller peer) {
		SvidValidator current = this.trust.get();
		if (current == null) {
			return false;
		}
		Verdict verdict = peer.verdict();
		if (verdict != null && verdict.validator() == current) {
			return verdict.trusted();
		}
		boolean trusted;
		try {
			current.validate(List.of(ssl.getPeerCertificates()), PeerRole.CLIENT);
			trusted = true;
		}
		catch (InvalidSvidException ex) {
			logger.info("Refusing requests from '" + peer.id() + "' on its open connection: " + ex.getMessage());
			trusted = false;
		}
		peer.remember(new Verdict(current, trusted));
		return trusted;
	}

	/**
	 * The caller's SPIFFE ID, its service identity, and the end of its leaf's validity. A connection's requests all
	 * carry the same certificate object (the TLS session's), so what is read from it is kept per certificate object:
	 * reading the URI SAN and parsing the ID on every request was the filter's largest cost.
	 */
	private @Nullable Caller caller(SslInfo ssl) {
		X509Certificate[] chain = ssl.getPeerCertificates();
		if (chain == null || chain.length == 0) {
			return null;
		}
		Caller known = this.callers.getIfPresent(chain[0]);
		if (known != null) {
			return known;
		}
		try {
			SpiffeId id = SvidValidator.spiffeIdOf(chain[0]);
			Caller caller = new Caller(id, serviceOf(id), chain[0].getNotAfter().getTime());
			this.callers.put(chain[0], caller);
			return caller;
		}
		catch (InvalidSvidException ex) {
			return null;
		}
	}

	private static @Nullable ServiceIdentity serviceOf(SpiffeId id) {
		try {
			return ServiceIdentity.from(id);
		}
		catch (InvalidIdentityException ex) {
			return null;
		}
	}

	private static Mono<Void> problem(ServerWebExchange exchange, HttpStatus status, String detail) {
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(status);
		response.getHeaders().setContentType(PROBLEM);
		byte[] body = ("{\"type\":\"about:blank\",\"title\":\"" + status.getReasonPhrase() + "\",\"status\":"
				+ status.value() + ",\"detail\":\"" + detail + "\"}").getBytes(StandardCharsets.UTF_8);
		response.getHeaders().setContentLength(body.length);
		DataBuffer buffer = response.bufferFactory().wrap(body);
		return response.writeWith(Mono.just(buffer));
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

	/**
	 * What the filter needs from a caller's leaf: its SPIFFE ID, its service identity ({@code null} when the ID is
	 * not a Consul service's), when it expires (epoch millis), and whether its chain validated against the roots
	 * last checked.
	 */
	private static final class Caller {

		private final SpiffeId id;

		private final @Nullable ServiceIdentity service;

		private final long notAfter;

		private volatile @Nullable Verdict verdict;

		Caller(SpiffeId id, @Nullable ServiceIdentity service, long notAfter) {
			this.id = id;
			this.service = service;
			this.notAfter = notAfter;
		}

		SpiffeId id() {
			return this.id;
		}

		@Nullable ServiceIdentity service() {
			return this.service;
		}

		long notAfter() {
			return this.notAfter;
		}

		@Nullable Verdict verdict() {
			return this.verdict;
		}

		void remember(Verdict verdict) {
			this.verdict = verdict;
		}

	}

	/** Whether a chain validated against one set of roots (its validator, compared by identity). */
	private record Verdict(SvidValidator validator, boolean trusted) {
	}

}
