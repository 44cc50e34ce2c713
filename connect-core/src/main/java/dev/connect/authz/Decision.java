package dev.connect.authz;

/**
 * An authorization decision for one caller.
 *
 * @param allowed whether the caller may proceed
 * @param reason why, from the agent (for logs only: callers are never told which intention decided)
 * @param cached whether it came from the in-process cache
 */
public record Decision(boolean allowed, String reason, boolean cached) {

	Decision fromCache() {
		return new Decision(this.allowed, this.reason, true);
	}

}
