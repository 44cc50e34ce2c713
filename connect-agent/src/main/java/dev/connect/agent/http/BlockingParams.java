package dev.connect.agent.http;

import java.time.Duration;

import dev.connect.agent.index.QueryOptions;
import dev.connect.api.GoDuration;

/**
 * Reads {@code ?index=} and {@code ?wait=} with Consul's rules and messages.
 */
final class BlockingParams {

	private BlockingParams() {
	}

	static QueryOptions of(Exchange exchange) {
		long index = 0;
		String indexText = exchange.param("index");
		if (indexText != null && !indexText.isEmpty()) {
			try {
				index = Long.parseUnsignedLong(indexText);
			}
			catch (NumberFormatException ex) {
				throw HttpError.badRequest("Invalid index");
			}
			// An index past Long.MAX_VALUE wraps negative: treat it as "very new", which blocks.
			index = (index < 0) ? Long.MAX_VALUE : index;
		}
		Duration wait = Duration.ZERO;
		String waitText = exchange.param("wait");
		if (waitText != null && !waitText.isEmpty()) {
			try {
				wait = GoDuration.parse(waitText);
			}
			catch (IllegalArgumentException ex) {
				throw HttpError.badRequest("Invalid wait time");
			}
		}
		return new QueryOptions(index, wait);
	}

}
