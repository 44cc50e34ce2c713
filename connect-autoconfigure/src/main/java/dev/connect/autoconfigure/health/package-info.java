/**
 * The health indicator {@code connect}: the service's certificate material and the agent's reachability.
 */
@NullMarked
package dev.connect.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
