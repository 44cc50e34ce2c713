package dev.connect.agent.ca;

import java.security.SecureRandom;
import java.time.Clock;

import dev.connect.identity.TrustDomain;

/**
 * What the CA gives every provider it configures (Consul's {@code ProviderConfig} without the raw settings).
 *
 * @param trustDomain the trust domain every root must name
 * @param config the CA settings: key type and size for generated roots, root lifetime
 * @param clock the clock for validity periods
 * @param random the source of keys and signatures
 * @param serials the CA's serial counter, shared by every certificate the agent signs
 */
record ProviderContext(TrustDomain trustDomain, CaConfig config, Clock clock, SecureRandom random,
		SerialNumbers serials) {

	ProviderContext withConfig(CaConfig config) {
		return new ProviderContext(this.trustDomain, config, this.clock, this.random, this.serials);
	}

}
