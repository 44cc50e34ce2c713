package dev.connect.agent;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DevAgentSettingsTests {

	@Test
	void rootRotationJitterDefaultsToConsulsThirtySeconds() {
		assertThat(DevAgentSettings.defaults().rootRotationJitter()).isEqualTo(Duration.ofSeconds(30));
		assertThat(DevAgentSettings.defaults().withRootRotationJitter(Duration.ofMillis(500)).rootRotationJitter())
			.isEqualTo(Duration.ofMillis(500));
	}

	@Test
	void rootRotationJitterOutsideItsRangeIsRefusedNamingTheValue() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DevAgentSettings.defaults().withRootRotationJitter(Duration.ZERO))
			.withMessage("Root rotation jitter 'PT0S' must be more than 0 and at most 30 s (Consul's window)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DevAgentSettings.defaults().withRootRotationJitter(Duration.ofMinutes(1)))
			.withMessage("Root rotation jitter 'PT1M' must be more than 0 and at most 30 s (Consul's window)");
	}

}
