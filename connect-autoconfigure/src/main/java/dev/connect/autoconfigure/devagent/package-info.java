/**
 * The in-process dev agent for local development ({@code connect.dev-agent.enabled=true}); the only package that
 * may use {@code connect-agent}.
 */
@NullMarked
package dev.connect.autoconfigure.devagent;

import org.jspecify.annotations.NullMarked;
