/**
 * Registration of the application with the agent as a Connect-native service, with a TTL check it heartbeats.
 */
@NullMarked
package dev.connect.autoconfigure.registration;

import org.jspecify.annotations.NullMarked;
