package dev.connect.proxy;

import java.time.Clock;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * {@code -log-json}: one JSON object per line, with the keys of Consul's JSON logs ({@code @timestamp},
 * {@code @level}, {@code @module}, {@code @message}, and {@code error} when a record carries an exception).
 */
final class JsonLogFormatter extends Formatter {

	private final Clock clock;

	JsonLogFormatter(Clock clock) {
		this.clock = clock;
	}

	@Override
	public String format(LogRecord record) {
		StringBuilder line = new StringBuilder(160).append('{');
		field(line, "@timestamp", Instant.now(this.clock).toString()).append(',');
		field(line, "@level", level(record.getLevel())).append(',');
		field(line, "@module", String.valueOf(record.getLoggerName())).append(',');
		field(line, "@message", formatMessage(record));
		if (record.getThrown() != null) {
			field(line.append(','), "error", String.valueOf(record.getThrown().getMessage()));
		}
		return line.append("}\n").toString();
	}

	static String level(Level level) {
		int value = level.intValue();
		if (value >= Level.SEVERE.intValue()) {
			return "error";
		}
		if (value >= Level.WARNING.intValue()) {
			return "warn";
		}
		if (value >= Level.INFO.intValue()) {
			return "info";
		}
		return (value >= Level.FINE.intValue()) ? "debug" : "trace";
	}

	private static StringBuilder field(StringBuilder line, String key, String value) {
		quote(line, key).append(':');
		return quote(line, value);
	}

	private static StringBuilder quote(StringBuilder line, String text) {
		line.append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> line.append("\\\"");
				case '\\' -> line.append("\\\\");
				case '\n' -> line.append("\\n");
				case '\r' -> line.append("\\r");
				case '\t' -> line.append("\\t");
				default -> {
					if (c < 0x20) {
						line.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
					}
					else {
						line.append(c);
					}
				}
			}
		}
		return line.append('"');
	}

}
