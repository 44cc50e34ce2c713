package dev.connect.benchmarks;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/** Writes maps, lists, strings, numbers, booleans and double arrays as indented JSON; nothing else is accepted. */
final class Json {

	private static final MathContext SIGNIFICANT = new MathContext(6);

	private Json() {
	}

	static String write(Object value) {
		StringBuilder out = new StringBuilder();
		write(value, out, "");
		return out.append('\n').toString();
	}

	private static void write(Object value, StringBuilder out, String indent) {
		if (value == null) {
			out.append("null");
		}
		else if (value instanceof String text) {
			string(text, out);
		}
		else if (value instanceof Boolean) {
			out.append(value);
		}
		else if (value instanceof Double || value instanceof Float) {
			double number = ((Number) value).doubleValue();
			if (!Double.isFinite(number)) {
				throw new IllegalArgumentException("JSON has no value for " + number);
			}
			// Six significant digits: more than any of these measurements can tell apart.
			out.append(BigDecimal.valueOf(number).round(SIGNIFICANT).stripTrailingZeros().toPlainString());
		}
		else if (value instanceof Number) {
			out.append(value);
		}
		else if (value instanceof double[] numbers) {
			out.append('[');
			for (int i = 0; i < numbers.length; i++) {
				out.append((i > 0) ? ", " : "");
				write(numbers[i], out, indent);
			}
			out.append(']');
		}
		else if (value instanceof Map<?, ?> map) {
			out.append('{');
			String inner = indent + "  ";
			boolean first = true;
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				out.append(first ? "\n" : ",\n").append(inner);
				string(String.valueOf(entry.getKey()), out);
				out.append(": ");
				write(entry.getValue(), out, inner);
				first = false;
			}
			out.append(first ? "}" : "\n" + indent + "}");
		}
		else if (value instanceof Collection<?> list) {
			out.append('[');
			String inner = indent + "  ";
			boolean first = true;
			for (Object item : list) {
				out.append(first ? "\n" : ",\n").append(inner);
				write(item, out, inner);
				first = false;
			}
			out.append(first ? "]" : "\n" + indent + "]");
		}
		else {
			throw new IllegalArgumentException("No JSON form for " + value.getClass().getName());
		}
	}

	private static void string(String text, StringBuilder out) {
		out.append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20) {
						out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append('"');
	}

}
