/**
 * SPIFFE identities as Consul Connect uses them: strict parsing and formatting of SPIFFE IDs, trust domains and
 * Consul's service identity form.
 */
@NullMarked
package dev.connect.identity;

import org.jspecify.annotations.NullMarked;
