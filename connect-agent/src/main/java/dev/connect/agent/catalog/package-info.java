/**
 * The agent's service catalog: registrations, checks the agent really runs, and the health of each instance.
 */
@NullMarked
package dev.connect.agent.catalog;

import org.jspecify.annotations.NullMarked;
