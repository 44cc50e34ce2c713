package dev.connect.api;

import java.util.Optional;

import tools.jackson.databind.JsonNode;

/**
 * One config entry as {@code GET /v1/config/<kind>/<name>} answers it, or its absence (404), with the agent's
 * default intention policy from {@code X-Consul-Default-ACL-Policy}, which every Consul answer carries.
 *
 * @param kind the entry's kind, for example {@code service-intentions}
 * @param name the entry's name
 * @param entry the entry as the agent answered it, empty when there is none
 * @param defaultPolicy {@code allow} or {@code deny} as the agent reported it, empty when it did not
 */
public record ConfigEntry(String kind, String name, Optional<JsonNode> entry, String defaultPolicy) {

	/**
	 * Whether the agent reported its default policy.
	 * @return {@code null} when it did not (or reported something else than allow or deny), else whether it allows
	 */
	public @org.jspecify.annotations.Nullable Boolean defaultAllow() {
		return switch (this.defaultPolicy) {
			case "allow" -> Boolean.TRUE;
			case "deny" -> Boolean.FALSE;
			default -> null;
		};
	}

}
