package dev.connect.agent.ca;

import java.time.Duration;
import java.util.Objects;

import dev.connect.api.GoDuration;

/**
 * Settings of the built-in CA, named and validated as Consul's {@code connect.ca_config} for the {@code consul}
 * provider. The validation messages are Consul's, so that a bad {@code PUT /v1/connect/ca/configuration} gets the
 * same answer from the dev agent as from Consul.
 *
 * @param privateKeyType type of the CA key, {@code ec} (default) or {@code rsa}; leaf keys are always EC P-256
 * @param privateKeyBits size of the CA key: 256 (default), 384 or 521 for {@code ec}; 2048 or 4096 for {@code rsa}
 * @param leafCertTtl lifetime of leaf certificates, 72 hours by default, from 1 hour to 8760 hours
 * @param intermediateCertTtl lifetime of intermediate certificates, 8760 hours by default, at least 3 hours and 3
 * leaf lifetimes; kept and validated for compatibility, since this CA signs leaves with its root
 * @param rootCertTtl lifetime of root certificates, 87600 hours (10 years) by default, at least the intermediate
 * lifetime
 * @param csrMaxPerSecond leaf signings allowed per second, 50 by default; 0 turns the limit off
 */
public record CaConfig(String privateKeyType, int privateKeyBits, Duration leafCertTtl,
		Duration intermediateCertTtl, Duration rootCertTtl, double csrMaxPerSecond) {

	static final Duration MIN_LEAF_TTL = Duration.ofHours(1);

	static final Duration MAX_LEAF_TTL = Duration.ofHours(8760);

	public CaConfig {
		Objects.requireNonNull(privateKeyType, "'privateKeyType' must not be null");
		Objects.requireNonNull(leafCertTtl, "'leafCertTtl' must not be null");
		Objects.requireNonNull(intermediateCertTtl, "'intermediateCertTtl' must not be null");
		Objects.requireNonNull(rootCertTtl, "'rootCertTtl' must not be null");
		if (rootCertTtl.compareTo(intermediateCertTtl) < 0) {
			throw new IllegalArgumentException("root cert TTL is set and is not greater than intermediate cert ttl. "
					+ "root cert ttl: " + GoDuration.format(rootCertTtl) + ", intermediate cert ttl: "
					+ GoDuration.format(intermediateCertTtl));
		}
		if (leafCertTtl.compareTo(MIN_LEAF_TTL) < 0) {
			throw new IllegalArgumentException("leaf cert TTL must be greater or equal than 1h0m0s");
		}
		if (leafCertTtl.compareTo(MAX_LEAF_TTL) > 0) {
			throw new IllegalArgumentException("leaf cert TTL must be less than 8760h0m0s");
		}
		if (intermediateCertTtl.compareTo(Duration.ofHours(3)) < 0) {
			throw new IllegalArgumentException("Intermediate Cert TTL must be greater or equal than 3h");
		}
		if (intermediateCertTtl.compareTo(leafCertTtl.multipliedBy(3)) < 0) {
			throw new IllegalArgumentException("Intermediate Cert TTL must be greater or equal than 3 * LeafCertTTL (>="
					+ GoDuration.format(leafCertTtl.multipliedBy(3)) + ").");
		}
		switch (privateKeyType) {
			case "ec" -> {
				// The JDK no longer generates P-224 keys, which Consul still accepts.
				if (privateKeyBits != 256 && privateKeyBits != 384 && privateKeyBits != 521) {
					throw new IllegalArgumentException("EC key length must be one of (256, 384, 521) bits");
				}
			}
			case "rsa" -> {
				if (privateKeyBits != 2048 && privateKeyBits != 4096) {
					throw new IllegalArgumentException("RSA key length must be 2048 or 4096 bits");
				}
			}
			default -> throw new IllegalArgumentException("private key type must be either 'ec' or 'rsa'");
		}
		if (!(csrMaxPerSecond >= 0) || Double.isInfinite(csrMaxPerSecond)) {
			throw new IllegalArgumentException(
					"CSRMaxPerSecond must be a finite number of at least 0, was " + csrMaxPerSecond);
		}
	}

	/**
	 * Returns Consul's defaults: EC P-256 CA key, 72 h leaves, 1 year intermediates, 10 year roots, 50 signings
	 * per second.
	 * @return the default configuration
	 */
	public static CaConfig defaults() {
		return new CaConfig("ec", 256, Duration.ofHours(72), Duration.ofHours(8760), Duration.ofHours(87600), 50);
	}

	/**
	 * Returns a copy with another CA key type and size.
	 * @param type {@code ec} or {@code rsa}
	 * @param bits the key size
	 * @return the new configuration
	 */
	public CaConfig withPrivateKey(String type, int bits) {
		return new CaConfig(type, bits, this.leafCertTtl, this.intermediateCertTtl, this.rootCertTtl,
				this.csrMaxPerSecond);
	}

	/**
	 * Returns a copy with another leaf lifetime.
	 * @param ttl the leaf lifetime
	 * @return the new configuration
	 */
	public CaConfig withLeafCertTtl(Duration ttl) {
		return new CaConfig(this.privateKeyType, this.privateKeyBits, ttl, this.intermediateCertTtl, this.rootCertTtl,
				this.csrMaxPerSecond);
	}

	/**
	 * Returns a copy with another root lifetime.
	 * @param ttl the root lifetime
	 * @return the new configuration
	 */
	public CaConfig withRootCertTtl(Duration ttl) {
		return new CaConfig(this.privateKeyType, this.privateKeyBits, this.leafCertTtl, this.intermediateCertTtl, ttl,
				this.csrMaxPerSecond);
	}

	/**
	 * Returns a copy with another signing rate limit.
	 * @param perSecond signings per second, 0 for no limit
	 * @return the new configuration
	 */
	public CaConfig withCsrMaxPerSecond(double perSecond) {
		return new CaConfig(this.privateKeyType, this.privateKeyBits, this.leafCertTtl, this.intermediateCertTtl, this.rootCertTtl,
				perSecond);
	}

	boolean sameKeySettings(CaConfig other) {
		return this.privateKeyType.equals(other.privateKeyType) && this.privateKeyBits == other.privateKeyBits;
	}

}
