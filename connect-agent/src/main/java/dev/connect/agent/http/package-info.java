/**
 * The agent's HTTP API on Reactor Netty: Consul's paths, JSON, headers, status codes and messages; one handler
 * per endpoint group, with no business logic in handlers.
 */
@NullMarked
package dev.connect.agent.http;

import org.jspecify.annotations.NullMarked;
