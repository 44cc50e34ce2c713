/**
 * Upstreams of a proxy: their configuration and the healthy instances of each, followed by a blocking watch.
 */
@NullMarked
package dev.connect.proxy.upstream;

import org.jspecify.annotations.NullMarked;
