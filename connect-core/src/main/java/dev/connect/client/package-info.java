/**
 * A reactive client for the Consul agent HTTP API (the dev agent or a real Consul agent) that understands
 * blocking queries, and the certificate source fed by its root and leaf watches.
 */
@NullMarked
package dev.connect.client;

import org.jspecify.annotations.NullMarked;
