/**
 * Consul's L7 intentions (the {@code service-intentions} config entry's {@code Permissions}) evaluated in process
 * for each HTTP request, on a path and headers read exactly as the application will route them.
 */
@NullMarked
package dev.connect.authz.l7;

import org.jspecify.annotations.NullMarked;
