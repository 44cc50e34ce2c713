package dev.connect.pki;

import java.math.BigInteger;
import java.util.Objects;

/**
 * Consul's colon-hex rendering of bytes: lowercase hex pairs joined by {@code :}, as used for certificate serials
 * ({@code SerialNumber} of a leaf), key identifiers ({@code SigningKeyID}) and root IDs.
 */
public final class ColonHex {

	private static final char[] DIGITS = "0123456789abcdef".toCharArray();

	private ColonHex() {
	}

	/**
	 * Formats bytes as colon-hex, for example {@code {0x01, 0x00}} as {@code 01:00}.
	 * @param bytes the bytes; empty gives an empty string
	 * @return the colon-hex string
	 */
	public static String format(byte[] bytes) {
		Objects.requireNonNull(bytes, "'bytes' must not be null");
		if (bytes.length == 0) {
			return "";
		}
		char[] out = new char[bytes.length * 3 - 1];
		for (int i = 0; i < bytes.length; i++) {
			int at = i * 3;
			out[at] = DIGITS[(bytes[i] >> 4) & 0xf];
			out[at + 1] = DIGITS[bytes[i] & 0xf];
			if (i + 1 < bytes.length) {
				out[at + 2] = ':';
			}
		}
		return new String(out);
	}

	/**
	 * Formats a certificate serial the way Consul does: the big-endian magnitude without the sign byte that
	 * {@link BigInteger#toByteArray()} adds, so serial 8 is {@code 08}, 128 is {@code 80} and 256 is
	 * {@code 01:00}.
	 * @param serial a non-negative serial number
	 * @return the colon-hex string
	 * @throws IllegalArgumentException if the serial is negative
	 */
	public static String serial(BigInteger serial) {
		Objects.requireNonNull(serial, "'serial' must not be null");
		if (serial.signum() < 0) {
			throw new IllegalArgumentException("Serial number '" + serial + "' must not be negative");
		}
		byte[] bytes = serial.toByteArray();
		if (bytes.length > 1 && bytes[0] == 0) {
			byte[] magnitude = new byte[bytes.length - 1];
			System.arraycopy(bytes, 1, magnitude, 0, magnitude.length);
			return format(magnitude);
		}
		return (serial.signum() == 0) ? "" : format(bytes);
	}

	/**
	 * Parses colon-hex (either case) back to bytes.
	 * @param text pairs of hex digits separated by single colons
	 * @return the bytes
	 * @throws IllegalArgumentException naming the value if it is not colon-hex
	 */
	public static byte[] parse(String text) {
		Objects.requireNonNull(text, "'text' must not be null");
		if (text.isEmpty()) {
			return new byte[0];
		}
		if ((text.length() + 1) % 3 != 0) {
			throw notColonHex(text);
		}
		byte[] bytes = new byte[(text.length() + 1) / 3];
		for (int i = 0; i < bytes.length; i++) {
			int at = i * 3;
			int high = Character.digit(text.charAt(at), 16);
			int low = Character.digit(text.charAt(at + 1), 16);
			if (high < 0 || low < 0 || (at + 2 < text.length() && text.charAt(at + 2) != ':')) {
				throw notColonHex(text);
			}
			bytes[i] = (byte) ((high << 4) | low);
		}
		return bytes;
	}

	private static IllegalArgumentException notColonHex(String text) {
		String shown = (text.length() > 64) ? text.substring(0, 64) + "..." : text;
		return new IllegalArgumentException(
				"Value '" + shown + "' must be pairs of hex digits separated by ':', for example '0a:1b'");
	}

}
