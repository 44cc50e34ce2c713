package dev.connect.test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.connect.api.GoDuration;
import org.jspecify.annotations.Nullable;

/** Vault's request parameters as {@link VaultPkiTestServer} reads them: strings, numbers, lists and durations. */
final class VaultParams {

	private VaultParams() {
	}

	static String text(Map<String, Object> body, String name) {
		Object value = body.get(name);
		return (value != null) ? value.toString() : "";
	}

	static double number(@Nullable Object value) {
		if (value instanceof Number number) {
			return number.doubleValue();
		}
		return (value == null || value.toString().isEmpty()) ? 0 : Double.parseDouble(value.toString());
	}

	/** A comma-separated string or a JSON list, as Vault takes list parameters. */
	static List<String> list(@Nullable Object value) {
		if (value instanceof List<?> list) {
			return list.stream().map(String::valueOf).filter((item) -> !item.isEmpty()).toList();
		}
		if (value == null || value.toString().isBlank()) {
			return List.of();
		}
		return java.util.Arrays.stream(value.toString().split(",")).map(String::trim).filter((item) -> !item.isEmpty()).toList();
	}

	/** Vault's durations: seconds as a number or a string, or Go's form ({@code 72h}); absent or 0 is the fallback. */
	static Duration duration(@Nullable Object value, Duration fallback) {
		if (value == null || value.toString().isEmpty()) {
			return fallback;
		}
		Duration parsed;
		try {
			parsed = (value instanceof Number number) ? Duration.ofSeconds(number.longValue())
					: value.toString().matches("\\d+") ? Duration.ofSeconds(Long.parseLong(value.toString()))
							: GoDuration.parse(value.toString());
		}
		catch (IllegalArgumentException ex) {
			throw new VaultError(400, "error converting input " + value + " for field: " + ex.getMessage());
		}
		return parsed.isZero() ? fallback : parsed;
	}

}
