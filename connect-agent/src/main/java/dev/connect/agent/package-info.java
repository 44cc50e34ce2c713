/**
 * The dev agent: a single-process stand-in for {@code consul agent -dev} with a built-in CA, intentions, a
 * service catalog and Consul's HTTP API. Never a production CA.
 */
@NullMarked
package dev.connect.agent;

import org.jspecify.annotations.NullMarked;
