/**
 * Live TLS material of a mesh service: one immutable snapshot of leaf, key and roots at a time, and JSSE key and
 * trust managers that read one snapshot per handshake, so rotation needs no new SSL context.
 */
@NullMarked
package dev.connect.tls;

import org.jspecify.annotations.NullMarked;
