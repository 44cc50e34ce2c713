/**
 * Modify indexes per topic and the blocking-query loop that waits on them without holding a thread.
 */
@NullMarked
package dev.connect.agent.index;

import org.jspecify.annotations.NullMarked;
