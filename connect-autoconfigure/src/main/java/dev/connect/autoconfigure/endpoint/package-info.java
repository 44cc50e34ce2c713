/**
 * The actuator endpoint {@code connect}: identity, certificate material, authorization cache and recent denials.
 */
@NullMarked
package dev.connect.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
