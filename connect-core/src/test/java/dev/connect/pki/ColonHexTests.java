package dev.connect.pki;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ColonHexTests {

	@ParameterizedTest
	@CsvSource({ "8, 08", "44, 2c", "127, 7f", "128, 80", "255, ff", "256, 01:00", "65535, ff:ff",
			"18446744073709551615, ff:ff:ff:ff:ff:ff:ff:ff" })
	void serialIsTheMagnitudeWithoutSignByte(String serial, String expected) {
		assertThat(ColonHex.serial(new BigInteger(serial))).isEqualTo(expected);
		assertThat(new BigInteger(1, ColonHex.parse(expected))).isEqualTo(new BigInteger(serial));
	}

	@Test
	void zeroSerialIsEmptyAsInGo() {
		assertThat(ColonHex.serial(BigInteger.ZERO)).isEmpty();
	}

	@Test
	void whenSerialIsNegativeThenItIsRefused() {
		assertThatThrownBy(() -> ColonHex.serial(BigInteger.valueOf(-5)))
			.hasMessage("Serial number '-5' must not be negative");
	}

	@Test
	void bytesAreLowercaseHexPairsJoinedByColons() {
		assertThat(ColonHex.format(new byte[] { 0x0a, (byte) 0xff, 0x00 })).isEqualTo("0a:ff:00");
		assertThat(ColonHex.format(new byte[0])).isEmpty();
		assertThat(ColonHex.parse("0A:FF:00")).containsExactly(0x0a, 0xff, 0x00);
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "0g", "0a-0b", "0a:", ":0a", "0a::0b", "abc" })
	void whenTextIsNotColonHexThenParsingFailsNamingIt(String text) {
		assertThatThrownBy(() -> ColonHex.parse(text))
			.hasMessage("Value '" + text + "' must be pairs of hex digits separated by ':', for example '0a:1b'");
	}

}
