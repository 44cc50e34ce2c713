/**
 * Config entries ({@code /v1/config}): Consul's decoding, validation and storage of the kinds the dev agent serves.
 */
@NullMarked
package dev.connect.agent.config;

import org.jspecify.annotations.NullMarked;
