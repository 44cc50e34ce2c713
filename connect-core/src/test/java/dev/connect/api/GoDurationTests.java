package dev.connect.api;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GoDurationTests {

	@ParameterizedTest
	@CsvSource({ "0, 0", "10s, 10000", "1m30s, 90000", "72h, 259200000", "250ms, 250", "1.5s, 1500", "-2s, -2000",
			"+1h, 3600000", "1h1m1s, 3661000" })
	void goDurationsParse(String text, long millis) {
		assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofMillis(millis));
	}

	@Test
	void microAndNanoUnitsParse() {
		assertThat(GoDuration.parse("1us")).isEqualTo(Duration.ofNanos(1000));
		assertThat(GoDuration.parse("1\u00b5s")).isEqualTo(Duration.ofNanos(1000));
		assertThat(GoDuration.parse("7ns")).isEqualTo(Duration.ofNanos(7));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "10", "s", "1d", "1.2.3s", "ten seconds", "-", "1s 2s" })
	void whenTextIsNotAGoDurationThenParsingFailsNamingIt(String text) {
		assertThatThrownBy(() -> GoDuration.parse(text)).hasMessage("Duration '" + text
				+ "' must be a Go duration: numbers with units ns, us, ms, s, m or h, for example '10s' or '1m30s'");
	}

	@ParameterizedTest
	@CsvSource({ "0, 0s", "259200000, 72h0m0s", "90000, 1m30s", "10000, 10s", "250, 250ms", "1500, 1.5s" })
	void durationsFormatAsGoDoes(long millis, String text) {
		assertThat(GoDuration.format(Duration.ofMillis(millis))).isEqualTo(text);
	}

}
