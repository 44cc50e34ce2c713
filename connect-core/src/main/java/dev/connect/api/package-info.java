/**
 * Consul agent HTTP API wire records: field names, types and null handling exactly as Consul's JSON, with nothing
 * but data and validation.
 */
@NullMarked
package dev.connect.api;

import org.jspecify.annotations.NullMarked;
