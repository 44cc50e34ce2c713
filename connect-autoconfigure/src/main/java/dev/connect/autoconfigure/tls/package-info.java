/**
 * The SSL bundle {@code connect}, registered from the certificate source and updated on every new snapshot.
 */
@NullMarked
package dev.connect.autoconfigure.tls;

import org.jspecify.annotations.NullMarked;
