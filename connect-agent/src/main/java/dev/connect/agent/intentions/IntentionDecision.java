package dev.connect.agent.intentions;

import dev.connect.api.Intention;
import org.jspecify.annotations.Nullable;

/**
 * The decision for one source and destination.
 *
 * @param allowed whether the source may connect
 * @param matched the intention that decided, or {@code null} when the default policy did
 * @param reason Consul's reason text: {@code Matched L4 intention: ...}, {@code Matched L7 intention: ...} or
 * {@code Default intention policy}
 */
public record IntentionDecision(boolean allowed, @Nullable Intention matched, String reason) {

}
