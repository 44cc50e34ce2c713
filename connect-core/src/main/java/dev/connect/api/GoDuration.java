package dev.connect.api;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * Go's {@code time.Duration} text form, which Consul uses in request bodies and query parameters ({@code 10s},
 * {@code 1m30s}, {@code 72h}, {@code 250ms}).
 */
public final class GoDuration {

	private GoDuration() {
	}

	/**
	 * Parses a Go duration: an optional sign and a sequence of decimal numbers, each with a unit of {@code ns},
	 * {@code us} ({@code µs}), {@code ms}, {@code s}, {@code m} or {@code h}; {@code 0} alone is zero.
	 * @param text the duration text
	 * @return the duration
	 * @throws IllegalArgumentException naming the text if it is not a Go duration
	 */
	public static Duration parse(String text) {
		Objects.requireNonNull(text, "'text' must not be null");
		String rest = text;
		boolean negative = false;
		if (!rest.isEmpty() && (rest.charAt(0) == '-' || rest.charAt(0) == '+')) {
			negative = rest.charAt(0) == '-';
			rest = rest.substring(1);
		}
		if (rest.equals("0")) {
			return Duration.ZERO;
		}
		if (rest.isEmpty()) {
			throw invalid(text);
		}
		BigDecimal nanos = BigDecimal.ZERO;
		int i = 0;
		while (i < rest.length()) {
			int start = i;
			while (i < rest.length() && (Character.isDigit(rest.charAt(i)) || rest.charAt(i) == '.')) {
				i++;
			}
			String number = rest.substring(start, i);
			int unitStart = i;
			while (i < rest.length() && !Character.isDigit(rest.charAt(i)) && rest.charAt(i) != '.') {
				i++;
			}
			long unit = unitNanos(rest.substring(unitStart, i), text);
			if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
				throw invalid(text);
			}
			nanos = nanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unit)));
		}
		long total = nanos.longValue();
		return Duration.ofNanos(negative ? -total : total);
	}

	/**
	 * Formats a duration as Go's {@code Duration.String} does: {@code 72h0m0s}, {@code 1m30s}, {@code 10s},
	 * {@code 250ms}, {@code 0s}.
	 * @param duration the duration
	 * @return the text
	 */
	public static String format(Duration duration) {
		if (duration.isZero()) {
			return "0s";
		}
		if (duration.isNegative()) {
			return "-" + format(duration.negated());
		}
		long nanos = duration.toNanos();
		if (nanos < 1_000_000_000L) {
			return subSecond(nanos);
		}
		long hours = duration.toHours();
		int minutes = duration.toMinutesPart();
		BigDecimal seconds = BigDecimal.valueOf(duration.toSecondsPart())
			.add(BigDecimal.valueOf(duration.toNanosPart(), 9))
			.stripTrailingZeros();
		String secondsText = seconds.toPlainString() + "s";
		if (hours > 0) {
			return hours + "h" + minutes + "m" + secondsText;
		}
		return (minutes > 0) ? minutes + "m" + secondsText : secondsText;
	}

	private static String subSecond(long nanos) {
		if (nanos < 1_000) {
			return nanos + "ns";
		}
		if (nanos < 1_000_000) {
			return BigDecimal.valueOf(nanos, 3).stripTrailingZeros().toPlainString() + "\u00b5s";
		}
		return BigDecimal.valueOf(nanos, 6).stripTrailingZeros().toPlainString() + "ms";
	}

	private static long unitNanos(String unit, String text) {
		return switch (unit) {
			case "ns" -> 1L;
			case "us", "\u00b5s", "\u03bcs" -> 1_000L;
			case "ms" -> 1_000_000L;
			case "s" -> 1_000_000_000L;
			case "m" -> 60_000_000_000L;
			case "h" -> 3_600_000_000_000L;
			default -> throw invalid(text);
		};
	}

	private static IllegalArgumentException invalid(String text) {
		return new IllegalArgumentException("Duration '" + text
				+ "' must be a Go duration: numbers with units ns, us, ms, s, m or h, for example '10s' or '1m30s'");
	}

}
