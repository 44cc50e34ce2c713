package dev.connect.autoconfigure.endpoint;

import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.connect.authz.CachingAuthorizer;
import dev.connect.authz.l7.L7PolicySource;
import dev.connect.autoconfigure.authorization.RecentDenials;
import dev.connect.pki.ColonHex;
import dev.connect.tls.CertificateSnapshot;
import dev.connect.tls.CertificateSource;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/connect}: this service's identity and certificate material (never the key), the authorization
 * cache's statistics and the recent denials.
 */
@Endpoint(id = "connect")
public class ConnectEndpoint {

	private final CertificateSource source;

	private final @Nullable CachingAuthorizer authorizer;

	private final @Nullable RecentDenials denials;

	private final @Nullable L7PolicySource l7;

	ConnectEndpoint(CertificateSource source, @Nullable CachingAuthorizer authorizer, @Nullable RecentDenials denials,
			@Nullable L7PolicySource l7) {
		this.source = source;
		this.l7 = l7;
		this.authorizer = authorizer;
		this.denials = denials;
	}

	/**
	 * Describes the service's Connect state.
	 * @return identity, material, authorization
	 */
	@ReadOperation
	public Map<String, Object> connect() {
		Map<String, Object> answer = new LinkedHashMap<>();
		CertificateSnapshot snapshot = this.source.current();
		if (snapshot != null) {
			answer.put("identity", snapshot.identity().toString());
			answer.put("trustDomain", snapshot.trustDomain().name());
			Map<String, Object> leaf = new LinkedHashMap<>();
			leaf.put("serialNumber", ColonHex.serial(snapshot.leaf().getSerialNumber()));
			leaf.put("validAfter", snapshot.leaf().getNotBefore().toInstant().toString());
			leaf.put("validBefore", snapshot.validBefore().toString());
			leaf.put("generation", snapshot.generation());
			answer.put("leaf", leaf);
			answer.put("roots", snapshot.roots().stream().map(ConnectEndpoint::root).toList());
		}
		if (this.authorizer != null) {
			CachingAuthorizer.Stats stats = this.authorizer.stats();
			answer.put("authorization", Map.of("cachedCallers", stats.entries(), "hits", stats.hits(), "misses",
					stats.misses(), "staleServed", stats.staleServed(), "recentDenials",
					(this.denials != null) ? this.denials.list() : List.of()));
		}
		if (this.l7 != null) {
			answer.put("l7Intentions", this.l7.current().describe());
		}
		return answer;
	}

	private static Map<String, Object> root(X509Certificate root) {
		return Map.of("subject", root.getSubjectX500Principal().getName(), "serialNumber",
				ColonHex.serial(root.getSerialNumber()), "validBefore", root.getNotAfter().toInstant().toString());
	}

}
