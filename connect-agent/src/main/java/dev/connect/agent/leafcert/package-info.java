/**
 * The agent's leaf cache: one current leaf per service, renewed before expiry and re-issued after a root change,
 * as Consul's {@code agent/leafcert} manager does.
 */
@NullMarked
package dev.connect.agent.leafcert;

import org.jspecify.annotations.NullMarked;
