package dev.connect.authz.l7;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The L7 intentions in force for one destination service, evaluated per request as Consul defines them:
 * <ol>
 * <li>The caller's source is the entry's source naming it exactly, else the wildcard {@code *}. A source qualified
 * for another peer, partition, namespace or sameness group is never a local caller.</li>
 * <li>No source, or an L4 source (one with an {@code Action}): {@link L7Decision.Outcome#L4}, the agent's
 * {@code authorize} answer decides.</li>
 * <li>An L7 source: the destination's protocol must be http, http2 or grpc, else deny. The path is read by
 * {@link CanonicalPath} and the headers per {@link RequestNormalization}: a request that could be read two ways is
 * {@link L7Decision.Outcome#BAD_REQUEST}. The permissions are tried in order and the first that matches decides.</li>
 * <li>No permission matches: the default policy the agent applies to a caller with no intention (Consul's
 * {@code X-Consul-Default-ACL-Policy}); deny when it is not known.</li>
 * <li>A source with a part this version does not enforce ({@code JWT}, an unknown matcher) denies every request.</li>
 * </ol>
 * Instances are immutable and safe to share; build a new one when an entry changes.
 */
public final class L7Policy {

	/** No L7 rules known: every caller is decided by the agent's L4 answer. */
	public static final L7Policy NONE = new L7Policy(Map.of(), null, "", null, RequestNormalization.DEFAULT, "");

	private static final Set<String> L7_PROTOCOLS = Set.of("http", "http2", "grpc");

	private final Map<String, SourceRule> exact;

	private final @Nullable SourceRule wildcard;

	private final String protocol;

	private final @Nullable Boolean defaultAllow;

	private final RequestNormalization normalization;

	private final String malformed;

	private L7Policy(Map<String, SourceRule> exact, @Nullable SourceRule wildcard, String protocol,
			@Nullable Boolean defaultAllow, RequestNormalization normalization, String malformed) {
		this.exact = exact;
		this.wildcard = wildcard;
		this.protocol = protocol;
		this.defaultAllow = defaultAllow;
		this.normalization = normalization;
		this.malformed = malformed;
	}

	/**
	 * Compiles a destination's {@code service-intentions} entry.
	 * @param entry the entry as the agent answers it
	 * @param protocol the destination's protocol (see {@link #protocolOf}), empty when not known
	 * @param defaultAllow the agent's default for a caller with no intention, {@code null} when not known
	 * @param normalization the mesh's request normalization
	 * @return the policy
	 * @throws MalformedEntryException when the entry cannot be read as Consul defines it
	 */
	public static L7Policy of(JsonNode entry, String protocol, @Nullable Boolean defaultAllow,
			RequestNormalization normalization) {
		EntryFields.object(entry, "the service-intentions entry");
		if (!entry.path("JWT").isMissingNode() && !entry.path("JWT").isNull()) {
			return refusing("the entry requires a JWT, which this version does not verify");
		}
		Map<String, SourceRule> exact = new HashMap<>();
		SourceRule wildcard = null;
		for (JsonNode node : EntryFields.array(entry, "Sources")) {
			SourceRule source = SourceRule.of(node);
			if (source.match("*") == 1) {
				wildcard = source;
			}
			else if (source.match(source.name()) == 2) {
				exact.put(source.name().toLowerCase(Locale.ROOT), source);
			}
		}
		return new L7Policy(Map.copyOf(exact), wildcard, protocol.toLowerCase(Locale.ROOT), defaultAllow,
				normalization, "");
	}

	/**
	 * A policy that decides nothing: every request gets {@link L7Decision.Outcome#NO_DECISION}.
	 * @param reason why, for logs
	 * @return the policy
	 */
	public static L7Policy refusing(String reason) {
		return new L7Policy(Map.of(), null, "", null, RequestNormalization.DEFAULT, reason);
	}

	/**
	 * The destination's protocol as Consul resolves it: {@code service-defaults}' {@code Protocol}, else
	 * {@code proxy-defaults}' {@code Config.protocol}, else {@code tcp}.
	 * @param serviceDefaults the destination's {@code service-defaults} entry, {@code null} when there is none
	 * @param proxyDefaults the {@code proxy-defaults} entry {@code global}, {@code null} when there is none
	 * @return the protocol, in lower case
	 * @throws MalformedEntryException when a protocol field is not a string
	 */
	public static String protocolOf(@Nullable JsonNode serviceDefaults, @Nullable JsonNode proxyDefaults) {
		String protocol = (serviceDefaults != null) ? EntryFields.text(serviceDefaults, "Protocol") : "";
		if (protocol.isEmpty() && proxyDefaults != null) {
			protocol = EntryFields.text(proxyDefaults.path("Config"), "protocol");
		}
		return protocol.isEmpty() ? "tcp" : protocol.toLowerCase(Locale.ROOT);
	}

	/**
	 * Decides one request.
	 * @param callerService the caller's service name, from its validated SPIFFE ID
	 * @param request the request
	 * @return the decision
	 */
	public L7Decision decide(String callerService, HttpRequestView request) {
		if (!this.malformed.isEmpty()) {
			return new L7Decision(L7Decision.Outcome.NO_DECISION, this.malformed);
		}
		SourceRule source = this.exact.get(callerService.toLowerCase(Locale.ROOT));
		if (source == null) {
			source = this.wildcard;
		}
		if (source == null || !source.isL7()) {
			return L7Decision.L4;
		}
		return decideL7(source, request);
	}

	private L7Decision decideL7(SourceRule source, HttpRequestView request) {
		String name = "source '" + source.name() + "'";
		if (!source.unsupported().isEmpty()) {
			return new L7Decision(L7Decision.Outcome.DENY, name + " denies everything: " + source.unsupported());
		}
		if (!L7_PROTOCOLS.contains(this.protocol)) {
			return new L7Decision(L7Decision.Outcome.DENY, name + " has L7 permissions but the protocol is '"
					+ (this.protocol.isEmpty() ? "unknown" : this.protocol) + "', not http, http2 or grpc");
		}
		String path;
		HeadersRead headers;
		try {
			path = CanonicalPath.of(request.rawPath(), this.normalization);
			headers = HeadersRead.of(request, this.normalization.headersWithUnderscores());
		}
		catch (AmbiguousRequestException ex) {
			return new L7Decision(L7Decision.Outcome.BAD_REQUEST, ex.reason());
		}
		for (HttpPermission permission : source.permissions()) {
			if (permission.matches(request.method(), path, headers)) {
				return new L7Decision(permission.allow() ? L7Decision.Outcome.ALLOW : L7Decision.Outcome.DENY,
						name + " " + permission);
			}
		}
		boolean allow = Boolean.TRUE.equals(this.defaultAllow);
		return new L7Decision(allow ? L7Decision.Outcome.ALLOW : L7Decision.Outcome.DENY, name
				+ ": no permission matched; default " + ((this.defaultAllow == null) ? "unknown, so deny"
						: (allow ? "allow" : "deny")));
	}

	/**
	 * Describes the L7 rules in force, for the {@code connect} endpoint.
	 * @return one line per permission of each L7 source, in order
	 */
	public List<String> describe() {
		List<String> lines = new ArrayList<>();
		if (!this.malformed.isEmpty()) {
			lines.add("no decision: " + this.malformed);
		}
		List<SourceRule> sources = new ArrayList<>(this.exact.values());
		if (this.wildcard != null) {
			sources.add(this.wildcard);
		}
		for (SourceRule source : sources) {
			if (source.isL7() && !source.unsupported().isEmpty()) {
				lines.add("source '" + source.name() + "' denies everything: " + source.unsupported());
			}
			else if (source.isL7()) {
				source.permissions().forEach((permission) -> lines.add("source '" + source.name() + "' " + permission));
			}
		}
		return List.copyOf(lines);
	}

}
