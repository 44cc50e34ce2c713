package dev.connect.agent.ca;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaConfigTests {

	@Test
	void defaultsAreConsuls() {
		CaConfig defaults = CaConfig.defaults();
		assertThat(defaults.privateKeyType()).isEqualTo("ec");
		assertThat(defaults.privateKeyBits()).isEqualTo(256);
		assertThat(defaults.leafCertTtl()).isEqualTo(Duration.ofHours(72));
		assertThat(defaults.intermediateCertTtl()).isEqualTo(Duration.ofHours(8760));
		assertThat(defaults.rootCertTtl()).isEqualTo(Duration.ofHours(87600));
		assertThat(defaults.csrMaxPerSecond()).isEqualTo(50);
	}

	static Stream<Arguments> invalidConfigs() {
		CaConfig base = CaConfig.defaults();
		return Stream.of(
				row(() -> base.withLeafCertTtl(Duration.ofMinutes(59)), "leaf cert TTL must be greater or equal than 1h0m0s"),
				row(() -> base.withLeafCertTtl(Duration.ofHours(8761)), "leaf cert TTL must be less than 8760h0m0s"),
				row(() -> base.withLeafCertTtl(Duration.ofHours(3000)),
						"Intermediate Cert TTL must be greater or equal than 3 * LeafCertTTL (>=9000h0m0s)."),
				row(() -> base.withRootCertTtl(Duration.ofHours(100)),
						"root cert TTL is set and is not greater than intermediate cert ttl. root cert ttl: 100h0m0s, "
								+ "intermediate cert ttl: 8760h0m0s"),
				row(() -> new CaConfig("ec", 256, Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(5), 50),
						"Intermediate Cert TTL must be greater or equal than 3h"),
				row(() -> base.withPrivateKey("ec", 224), "EC key length must be one of (256, 384, 521) bits"),
				row(() -> base.withPrivateKey("rsa", 1024), "RSA key length must be 2048 or 4096 bits"),
				row(() -> base.withPrivateKey("dsa", 2048), "private key type must be either 'ec' or 'rsa'"),
				row(() -> base.withCsrMaxPerSecond(-1), "CSRMaxPerSecond must be a finite number of at least 0, was -1.0"),
				row(() -> base.withCsrMaxPerSecond(Double.NaN),
						"CSRMaxPerSecond must be a finite number of at least 0, was NaN"));
	}

	@ParameterizedTest(name = "{1}")
	@MethodSource("invalidConfigs")
	void whenASettingIsOutOfRangeThenConsulsMessageIsGiven(Supplier<CaConfig> config, String message) {
		assertThatThrownBy(config::get).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
	}

	private static Arguments row(Supplier<CaConfig> config, String message) {
		return Arguments.of(config, message);
	}

}
