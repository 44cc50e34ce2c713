/**
 * Intentions: storage, validation, Consul's precedence and the source-to-destination decision.
 */
@NullMarked
package dev.connect.agent.intentions;

import org.jspecify.annotations.NullMarked;
