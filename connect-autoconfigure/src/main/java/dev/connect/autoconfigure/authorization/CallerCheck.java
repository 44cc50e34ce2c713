package dev.connect.autoconfigure.authorization;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.connect.authz.Authorizer;
import dev.connect.authz.Decision;
import dev.connect.authz.l7.HttpRequestView;
import dev.connect.authz.l7.L7Decision;
import dev.connect.authz.l7.L7Policy;
import dev.connect.identity.InvalidIdentityException;
import dev.connect.identity.ServiceIdentity;
import dev.connect.identity.SpiffeId;
import dev.connect.identity.TrustDomain;
import dev.connect.pki.InvalidSvidException;
import dev.connect.pki.PeerRole;
import dev.connect.pki.SvidValidator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The decision about one request on the mesh port from its caller's certificate chain (validated in the handshake),
 * with no web type in it: the reactive {@link IntentionAuthorizationWebFilter} and the servlet
 * {@link IntentionAuthorizationServletFilter} only adapt it.
 * <ul>
 * <li>No chain or no SPIFFE ID: 403.</li>
 * <li>The caller's leaf expired since the handshake, or its chain no longer validates against the current roots
 * (checked once per certificate per set of roots): 403 and close the connection.</li>
 * <li>A caller of this trust domain, default partition and namespace with an L7 source in this service's
 * {@code service-intentions} entry: the {@link L7Policy} decides the request (allowed, 403, 400 for a request the
 * application could read otherwise than the rules, 503 when the entry cannot be read).</li>
 * <li>Otherwise the authorizer decides: allowed, or 403 (logged and kept for the endpoint), or 503 when it has no
 * decision (fail closed).</li>
 * </ul>
 */
final class CallerCheck {

	private static final Log logger = LogFactory.getLog(IntentionAuthorizationWebFilter.class);

	static final String NO_IDENTITY = "The caller presented no mesh identity.";

	static final String EXPIRED = "The caller's certificate has expired.";

	static final String UNTRUSTED = "The caller's certificate is no longer trusted by this mesh.";

	static final String DENIED = "The caller is not allowed to call this service.";

	static final String UNAVAILABLE = "Authorization is unavailable; the request was not processed.";

	static final String AMBIGUOUS = "The request's path or headers could be read in more than one way; it was not processed.";

	/**
	 * How many callers' certificates are remembered. Keys are held weakly and compared by identity (the TLS
	 * session's certificate object, the same on every request of a connection), so an entry goes with its
	 * sessions; past the bound Caffeine evicts one entry at a time, and an evicted caller is only read again.
	 */
	private static final int MAX_CALLERS = 4_096;

	private final Authorizer authorizer;

	private final RecentDenials denials;

	private final DenialLog denialLog;

	private final Clock clock;

	private final Supplier<@Nullable SvidValidator> trust;

	private final Supplier<L7Policy> l7;

	private final Supplier<@Nullable TrustDomain> trustDomain;

	private volatile @Nullable String lastNoDecision;

	/** Callers by leaf certificate object. */
	private final Cache<X509Certificate, Caller> callers = Caffeine.newBuilder()
		.weakKeys()
		.maximumSize(MAX_CALLERS)
		.executor(Runnable::run)
		.build();

	CallerCheck(Authorizer authorizer, RecentDenials denials, Supplier<@Nullable SvidValidator> trust,
			DenialLog denialLog, Clock clock) {
		this(authorizer, denials, trust, denialLog, clock, () -> L7Policy.NONE, () -> null);
	}

	CallerCheck(Authorizer authorizer, RecentDenials denials, Supplier<@Nullable SvidValidator> trust,
			DenialLog denialLog, Clock clock, Supplier<L7Policy> l7, Supplier<@Nullable TrustDomain> trustDomain) {
		this.l7 = l7;
		this.trustDomain = trustDomain;
		this.authorizer = authorizer;
		this.denials = denials;
		this.denialLog = denialLog;
		this.trust = trust;
		this.clock = clock;
	}

	/**
	 * Decides about one request.
	 * @param chain the caller's chain as the TLS session holds it, {@code null} when it presented none
	 * @param request the request, for L7 intentions
	 * @return the outcome; never an error
	 */
	Mono<Outcome> check(X509Certificate @Nullable [] chain, HttpRequestView request) {
		Caller peer = caller(chain);
		if (peer == null || chain == null) {
			return Mono.just(Outcome.refused(403, NO_IDENTITY, false));
		}
		if (this.clock.millis() > peer.notAfter()) {
			// Valid at the handshake, expired since: refuse, and close so that the next request handshakes again.
			return Mono.just(Outcome.refused(403, EXPIRED, true));
		}
		if (!trusted(chain, peer)) {
			// Valid at the handshake, its roots removed since: refuse, and close so no request follows on it.
			return Mono.just(Outcome.refused(403, UNTRUSTED, true));
		}
		Outcome l7 = decideL7(peer, request);
		if (l7 != null) {
			return Mono.just(l7);
		}
		return this.authorizer.authorize(peer.id())
			.map(Optional::of)
			.onErrorResume((error) -> {
				noDecision(peer.id(), error);
				return Mono.just(Optional.empty());
			})
			.map((decision) -> decide(peer, decision));
	}

	private Outcome decide(Caller caller, Optional<Decision> decision) {
		if (decision.isEmpty()) {
			return Outcome.refused(503, UNAVAILABLE, false);
		}
		if (this.lastNoDecision != null) {
			this.lastNoDecision = null;
		}
		if (decision.get().allowed()) {
			return new Outcome(200, null, false, caller.service());
		}
		this.denials.record(caller.id().toString(), decision.get().reason());
		this.denialLog.denied(caller.id(), caller.service(), decision.get().reason());
		return Outcome.refused(403, DENIED, false);
	}

	/**
	 * The L7 decision, {@code null} when the caller has no L7 source (or is not a local service of this trust
	 * domain) and the agent's L4 answer decides. Consul's authorize endpoint denies a caller with an L7 source, so
	 * the agent is not asked about one.
	 */
	private @Nullable Outcome decideL7(Caller caller, HttpRequestView request) {
		ServiceIdentity service = caller.service();
		if (service == null || !service.trustDomain().equals(this.trustDomain.get())
				|| !service.partition().equals("default") || !service.namespace().equals("default")) {
			return null;
		}
		L7Decision decision = this.l7.get().decide(service.service(), request);
		return switch (decision.outcome()) {
			case L4 -> null;
			case ALLOW -> new Outcome(200, null, false, service);
			case DENY -> {
				this.denials.record(caller.id().toString(), decision.reason());
				this.denialLog.denied(caller.id(), service, decision.reason());
				yield Outcome.refused(403, DENIED, false);
			}
			case BAD_REQUEST -> {
				this.denials.record(caller.id().toString(), "refused (400): " + decision.reason());
				yield Outcome.refused(400, AMBIGUOUS, false);
			}
			case NO_DECISION -> {
				noDecision(caller.id(), new IllegalStateException(decision.reason()));
				yield Outcome.refused(503, UNAVAILABLE, false);
			}
		};
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

	/**
	 * Whether the caller's chain validates against the current roots: checked the first time the certificate is
	 * seen and again whenever the roots change, and remembered per certificate object until then.
	 */
	private boolean trusted(X509Certificate[] chain, Caller peer) {
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
			current.validate(List.of(chain), PeerRole.CLIENT);
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
	private @Nullable Caller caller(X509Certificate @Nullable [] chain) {
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

	/**
	 * The body of a refusal: an RFC 9457 problem naming no intention.
	 * @param status the status code
	 * @param reasonPhrase its reason phrase
	 * @param detail what the caller is told
	 * @return the JSON text
	 */
	static String problem(int status, String reasonPhrase, String detail) {
		return "{\"type\":\"about:blank\",\"title\":\"" + reasonPhrase + "\",\"status\":" + status + ",\"detail\":\""
				+ detail + "\"}";
	}

	/**
	 * The outcome of one request's check.
	 * @param status 200 when allowed, else the status of the refusal (403 or 503)
	 * @param detail what a refused caller is told, {@code null} when allowed
	 * @param close whether the connection is to be closed after the refusal
	 * @param caller the allowed caller's service identity, {@code null} when refused or not a Consul service
	 */
	record Outcome(int status, @Nullable String detail, boolean close, @Nullable ServiceIdentity caller) {

		static Outcome refused(int status, String detail, boolean close) {
			return new Outcome(status, detail, close, null);
		}

		boolean allowed() {
			return this.status == 200;
		}

	}

	/**
	 * What the check needs from a caller's leaf: its SPIFFE ID, its service identity ({@code null} when the ID is
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
