/**
 * Server mTLS: the reactive web server serves the bundle {@code connect} and requires a client certificate.
 */
@NullMarked
package dev.connect.autoconfigure.tls.server;

import org.jspecify.annotations.NullMarked;
