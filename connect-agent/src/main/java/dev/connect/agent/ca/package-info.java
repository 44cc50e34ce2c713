/**
 * The dev agent's built-in certificate authority: root generation and rotation with cross-signing, leaf signing
 * with a one-minute backdate and locked serials, and Consul's CSR rate limit.
 */
@NullMarked
package dev.connect.agent.ca;

import org.jspecify.annotations.NullMarked;
