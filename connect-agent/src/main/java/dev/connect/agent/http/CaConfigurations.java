package dev.connect.agent.http;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.connect.agent.ca.CaConfig;
import dev.connect.agent.ca.CaStore;
import dev.connect.agent.ca.ProviderConfig;
import dev.connect.api.CaConfiguration;
import dev.connect.api.GoDuration;
import org.jspecify.annotations.Nullable;

/**
 * Converts between the CA configuration JSON and {@link CaConfig}, with Consul's semantics: a PUT replaces the
 * configuration (missing settings take their defaults), keys are accepted in PascalCase or snake_case, values may
 * be strings or numbers, and the provider's own settings ({@code RootCert}, {@code PrivateKey}) go to the provider, which
 * checks them.
 */
final class CaConfigurations {

	static final String PROVIDER = "consul";

	/** The settings every provider shares, answered from {@link CaConfig} in PascalCase. */
	private static final java.util.Set<String> SHARED = java.util.Set.of("LeafCertTTL", "leaf_cert_ttl",
			"IntermediateCertTTL", "intermediate_cert_ttl", "RootCertTTL", "root_cert_ttl", "PrivateKeyType",
			"private_key_type", "PrivateKeyBits", "private_key_bits", "CSRMaxPerSecond", "csr_max_per_second",
			"CSRMaxConcurrent", "csr_max_concurrent", "ForceWithoutCrossSigning", "force_without_cross_signing");

	private CaConfigurations() {
	}

	/**
	 * The configuration as GET answers it: the active provider's name, its settings without secrets
	 * ({@link ProviderConfig#nonSecret()}), and the CA settings in effect.
	 */
	static CaConfiguration of(CaStore ca) {
		CaConfig config = ca.authority().config();
		ProviderConfig provider = ca.authority().providerConfig();
		Map<String, Object> settings = new LinkedHashMap<>();
		if (!PROVIDER.equals(provider.provider())) {
			// The built-in provider's answer stays Consul's (no RootCert echoed); another shows what it was given.
			provider.nonSecret().forEach((key, value) -> {
				if (!SHARED.contains(key)) {
					settings.put(key, value);
				}
			});
		}
		settings.put("LeafCertTTL", compact(config.leafCertTtl()));
		settings.put("IntermediateCertTTL", compact(config.intermediateCertTtl()));
		settings.put("RootCertTTL", compact(config.rootCertTtl()));
		settings.put("PrivateKeyType", config.privateKeyType());
		settings.put("PrivateKeyBits", config.privateKeyBits());
		settings.put("CSRMaxPerSecond", goNumber(config.csrMaxPerSecond()));
		settings.put("CSRMaxConcurrent", 0);
		return new CaConfiguration(provider.provider(), settings, null, false, ca.configCreateIndex(),
				ca.configIndex());
	}

	/**
	 * Reads a PUT body into new settings and the provider with its own settings, which the provider checks.
	 * @throws HttpError 500 with Consul's message when a setting is invalid
	 */
	static Update toUpdate(CaConfiguration request) {
		String provider = (request.provider() != null && !request.provider().isEmpty()) ? request.provider()
				: PROVIDER;
		Map<String, Object> raw = (request.config() != null) ? request.config() : Map.of();
		try {
			CaConfig defaults = CaConfig.defaults();
			CaConfig config = new CaConfig(string(raw, "PrivateKeyType", "private_key_type", "ec"),
					(int) number(raw, "PrivateKeyBits", "private_key_bits", 256),
					duration(raw, "LeafCertTTL", "leaf_cert_ttl", defaults.leafCertTtl()),
					duration(raw, "IntermediateCertTTL", "intermediate_cert_ttl", defaults.intermediateCertTtl()),
					duration(raw, "RootCertTTL", "root_cert_ttl", defaults.rootCertTtl()),
					number(raw, "CSRMaxPerSecond", "csr_max_per_second", defaults.csrMaxPerSecond()));
			boolean force = request.forceWithoutCrossSigning()
					|| Boolean.parseBoolean(string(raw, "ForceWithoutCrossSigning", "force_without_cross_signing",
							"false"));
			return new Update(config, new ProviderConfig(provider, raw, force));
		}
		catch (IllegalArgumentException ex) {
			throw HttpError.of(500, ex);
		}
	}

	private static @Nullable Object value(Map<String, Object> raw, String name, String snakeName) {
		Object value = raw.get(name);
		return (value != null) ? value : raw.get(snakeName);
	}

	private static String string(Map<String, Object> raw, String name, String snakeName, String fallback) {
		Object value = value(raw, name, snakeName);
		return (value != null) ? value.toString() : fallback;
	}

	private static double number(Map<String, Object> raw, String name, String snakeName, double fallback) {
		Object value = value(raw, name, snakeName);
		if (value == null) {
			return fallback;
		}
		if (value instanceof Number number) {
			return number.doubleValue();
		}
		try {
			return Double.parseDouble(value.toString());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("error decoding config: '" + name + "' expected a number, got '"
					+ value + "'");
		}
	}

	private static Duration duration(Map<String, Object> raw, String name, String snakeName, Duration fallback) {
		Object value = value(raw, name, snakeName);
		if (value == null) {
			return fallback;
		}
		if (value instanceof Number number) {
			return Duration.ofNanos(number.longValue());
		}
		try {
			return GoDuration.parse(value.toString());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("error decoding config: '" + name + "' " + HttpError.reasonOf(ex));
		}
	}

	/** A float64 as Go's JSON writes it: {@code 50}, not {@code 50.0}. */
	private static Number goNumber(double value) {
		return (value == Math.rint(value) && Math.abs(value) < 1e15) ? (Number) (long) value : (Number) value;
	}

	/** Whole hours as {@code 72h}, like the values Consul's documentation shows; anything else in Go form. */
	static String compact(Duration duration) {
		return (duration.toSecondsPart() == 0 && duration.toMinutesPart() == 0 && duration.toNanosPart() == 0)
				? duration.toHours() + "h" : GoDuration.format(duration);
	}

	record Update(CaConfig config, ProviderConfig provider) {
	}

}
