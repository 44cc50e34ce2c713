/**
 * The proxy's sockets: the public mTLS listener in front of the local app, and plain upstream listeners that reach
 * mesh services over mTLS.
 */
@NullMarked
package dev.connect.proxy.listener;

import org.jspecify.annotations.NullMarked;
