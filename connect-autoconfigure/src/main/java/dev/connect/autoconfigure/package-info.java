/**
 * Root auto-configuration of Connect for Spring: agent client, certificate source and start-up diagnostics.
 */
@NullMarked
package dev.connect.autoconfigure;

import org.jspecify.annotations.NullMarked;
