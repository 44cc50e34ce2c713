/**
 * The mesh caller an application's handlers see: an exchange attribute, a {@code ServiceIdentity} handler argument
 * and, with Spring Security, an {@code Authentication}; all set only after intentions allowed the caller.
 */
@NullMarked
package dev.connect.autoconfigure.caller;

import org.jspecify.annotations.NullMarked;
