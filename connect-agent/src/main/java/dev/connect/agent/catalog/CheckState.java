package dev.connect.agent.catalog;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The state of one check the agent runs.
 *
 * @param checkId the check ID
 * @param name the name
 * @param notes free text
 * @param serviceId the instance it belongs to
 * @param serviceName the instance's service name
 * @param type {@code ttl}, {@code http}, {@code tcp} or {@code alias}
 * @param target the URL of an HTTP check, the {@code host:port} of a TCP check, the instance an alias mirrors
 * @param status {@code passing}, {@code warning} or {@code critical}
 * @param output the last output
 * @param ttl the TTL of a TTL check
 * @param interval how often an HTTP or TCP check runs
 * @param timeout how long one HTTP or TCP probe may take (10 s unless the definition says otherwise)
 * @param deregisterAfter how long the check may stay critical before its instance is removed, or {@code null}
 * @param ttlDeadline when a TTL check turns critical unless updated, or {@code null}
 * @param criticalSince when the check last turned critical, or {@code null} while not critical
 * @param createIndex the index at which it was registered
 * @param modifyIndex the index at which it last changed
 * @param tlsSkipVerify whether an HTTPS check skips certificate verification
 * @param method the HTTP check's method ({@code GET} unless the definition says otherwise)
 * @param header the HTTP check's request headers
 * @param body the HTTP check's request body, or {@code ""} for none
 * @param tlsServerName the name an HTTPS check sends (SNI) and verifies the certificate for instead of the URL's
 * host, or {@code ""}
 */
public record CheckState(String checkId, String name, String notes, String serviceId, String serviceName, String type,
		String target, String status, String output, @Nullable Duration ttl, @Nullable Duration interval,
		Duration timeout, @Nullable Duration deregisterAfter, @Nullable Instant ttlDeadline,
		@Nullable Instant criticalSince, long createIndex, long modifyIndex, boolean tlsSkipVerify, String method,
		Map<String, List<String>> header, String body, String tlsServerName) {

	static final String PASSING = "passing";

	static final String WARNING = "warning";

	static final String CRITICAL = "critical";

	/**
	 * Returns the check after a result was recorded at {@code now}: it stays critical since the first critical
	 * result in a row, and a TTL check's deadline restarts.
	 */
	CheckState recorded(String status, String output, Instant now, long index) {
		Instant since = CRITICAL.equals(status) ? ((this.criticalSince != null) ? this.criticalSince : now) : null;
		Instant deadline = (this.ttl != null) ? now.plus(this.ttl) : null;
		return withResult(status, output, since).withTtlDeadline(deadline).withIndexes(this.createIndex, index);
	}

	CheckState withResult(String status, String output, @Nullable Instant criticalSince) {
		return new CheckState(this.checkId, this.name, this.notes, this.serviceId, this.serviceName, this.type,
				this.target, status, output, this.ttl, this.interval, this.timeout, this.deregisterAfter,
				this.ttlDeadline, criticalSince, this.createIndex, this.modifyIndex, this.tlsSkipVerify,
				this.method, this.header, this.body, this.tlsServerName);
	}

	CheckState withTtlDeadline(@Nullable Instant ttlDeadline) {
		return new CheckState(this.checkId, this.name, this.notes, this.serviceId, this.serviceName, this.type,
				this.target, this.status, this.output, this.ttl, this.interval, this.timeout, this.deregisterAfter,
				ttlDeadline, this.criticalSince, this.createIndex, this.modifyIndex, this.tlsSkipVerify,
				this.method, this.header, this.body, this.tlsServerName);
	}

	CheckState withIndexes(long createIndex, long modifyIndex) {
		return new CheckState(this.checkId, this.name, this.notes, this.serviceId, this.serviceName, this.type,
				this.target, this.status, this.output, this.ttl, this.interval, this.timeout, this.deregisterAfter,
				this.ttlDeadline, this.criticalSince, createIndex, modifyIndex, this.tlsSkipVerify,
				this.method, this.header, this.body, this.tlsServerName);
	}

	boolean isTtl() {
		return "ttl".equals(this.type);
	}

	/** HTTP and TCP checks are probed by the agent; the others change only through the API or their alias. */
	boolean isProbed() {
		return "http".equals(this.type) || "tcp".equals(this.type);
	}

	boolean isAlias() {
		return "alias".equals(this.type);
	}

}
