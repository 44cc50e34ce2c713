/**
 * The mesh HTTP client: a Reactor Netty connector that presents this service's leaf, verifies inside the handshake
 * that the server proves the identity expected at its address, binds each request to the service it is meant for,
 * and pools connections only while their server is still the one expected there.
 */
@NullMarked
package dev.connect.mesh;

import org.jspecify.annotations.NullMarked;
