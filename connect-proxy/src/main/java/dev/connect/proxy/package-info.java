/**
 * The sidecar proxy's lifecycle and command line: reads its registration from the agent and runs its listeners.
 */
@NullMarked
package dev.connect.proxy;

import org.jspecify.annotations.NullMarked;
