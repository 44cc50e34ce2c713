/**
 * X.509 material of the mesh: validation of peer chains as X.509-SVIDs, PEM encoding and decoding, and Consul's
 * colon-hex rendering of serials and key identifiers.
 */
@NullMarked
package dev.connect.pki;

import org.jspecify.annotations.NullMarked;
