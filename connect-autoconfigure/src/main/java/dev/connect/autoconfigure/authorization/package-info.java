/**
 * Authorization of every request on the mesh port against intentions, with a decision cache invalidated by an
 * intention watch; fail static, then fail closed.
 */
@NullMarked
package dev.connect.autoconfigure.authorization;

import org.jspecify.annotations.NullMarked;
