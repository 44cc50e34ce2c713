package dev.connect.agent.ca;

import java.time.Duration;

/**
 * Renders durations the way Go's {@code time.Duration.String} does for whole seconds ({@code 72h0m0s}), so that
 * messages quoting a duration read as Consul's.
 */
final class GoDurations {

	private GoDurations() {
	}

	static String format(Duration duration) {
		long seconds = duration.getSeconds();
		if (seconds == 0) {
			return "0s";
		}
		long hours = seconds / 3600;
		long minutes = (seconds % 3600) / 60;
		long rest = seconds % 60;
		if (hours > 0) {
			return hours + "h" + minutes + "m" + rest + "s";
		}
		return (minutes > 0) ? minutes + "m" + rest + "s" : rest + "s";
	}

}
