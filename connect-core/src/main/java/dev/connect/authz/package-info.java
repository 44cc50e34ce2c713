/**
 * Authorization of mesh callers against intentions: the agent's decision, cached in process and invalidated by a
 * watch on the intentions that apply to this service.
 */
@NullMarked
package dev.connect.authz;

import org.jspecify.annotations.NullMarked;
