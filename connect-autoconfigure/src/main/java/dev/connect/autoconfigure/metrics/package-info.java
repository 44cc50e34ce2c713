/**
 * Micrometer meters of Connect: the {@code connect.authorization} timer.
 */
@NullMarked
package dev.connect.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
