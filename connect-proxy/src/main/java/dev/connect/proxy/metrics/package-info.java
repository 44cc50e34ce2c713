/**
 * The proxy's metrics in Prometheus format, with Consul's names where its built-in proxy has them, and the admin
 * address that serves them with the readiness answer.
 */
@NullMarked
package dev.connect.proxy.metrics;

import org.jspecify.annotations.NullMarked;
