/**
 * Outbound: instances of upstream services pushed by blocking health watches, and the mesh connector on the
 * {@code @LoadBalanced WebClient.Builder}.
 */
@NullMarked
package dev.connect.autoconfigure.client;

import org.jspecify.annotations.NullMarked;
