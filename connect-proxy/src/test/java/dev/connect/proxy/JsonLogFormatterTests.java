package dev.connect.proxy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class JsonLogFormatterTests {

	private final JsonLogFormatter formatter = new JsonLogFormatter(
			Clock.fixed(Instant.parse("2026-12-05T03:00:00Z"), ZoneOffset.UTC));

	@Test
	void aRecordIsOneJsonObjectWithConsulsKeysAndEscapedText() {
		LogRecord record = new LogRecord(Level.WARNING, "Refused ''{0}'': \"quoted\"\nnext\tline");
		record.setParameters(new Object[] { "web" });
		record.setLoggerName("dev.connect.proxy.listener.PublicListener");
		assertThat(this.formatter.format(record)).isEqualTo("{\"@timestamp\":\"2026-12-05T03:00:00Z\",\"@level\":\"warn\","
				+ "\"@module\":\"dev.connect.proxy.listener.PublicListener\","
				+ "\"@message\":\"Refused 'web': \\\"quoted\\\"\\nnext\\tline\"}\n");
	}

	@Test
	void anExceptionIsItsMessageUnderError() {
		LogRecord record = new LogRecord(Level.SEVERE, "failed");
		record.setLoggerName("proxy");
		record.setThrown(new IllegalStateException("port \u0001 taken"));
		assertThat(this.formatter.format(record)).endsWith(",\"@message\":\"failed\",\"error\":\"port \\u0001 taken\"}\n");
	}

	@ParameterizedTest
	@CsvSource({ "SEVERE,error", "WARNING,warn", "INFO,info", "CONFIG,debug", "FINE,debug", "FINER,trace",
			"FINEST,trace" })
	void levelsAreConsulsNames(String level, String name) {
		assertThat(JsonLogFormatter.level(Level.parse(level))).isEqualTo(name);
	}

}
