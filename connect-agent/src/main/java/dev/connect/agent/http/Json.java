package dev.connect.agent.http;

import java.nio.charset.StandardCharsets;

import tools.jackson.core.JacksonException;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON the way {@code consul agent -dev} writes it: always indented with four spaces (Go's
 * {@code json.MarshalIndent}), followed by a newline.
 */
final class Json {

	static final JsonMapper MAPPER = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		// Go decodes a missing or null number or bool as its zero value.
		.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.build();

	private static final ObjectWriter WRITER = MAPPER.writer().with(prettyPrinter());

	private Json() {
	}

	static byte[] write(Object value) {
		String text = WRITER.writeValueAsString(value);
		return (text + "\n").getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Decodes a request body; a failure becomes 400 with the endpoint's prefix, as Consul words it.
	 */
	static <T> T read(byte[] body, Class<T> type, String failurePrefix) {
		try {
			return MAPPER.readValue(body, type);
		}
		catch (JacksonException ex) {
			throw HttpError.badRequest(failurePrefix + ex.getOriginalMessage());
		}
	}

	private static DefaultPrettyPrinter prettyPrinter() {
		DefaultIndenter indenter = new DefaultIndenter("    ", "\n");
		Separators separators = Separators.createDefaultInstance()
			.withObjectNameValueSpacing(Separators.Spacing.AFTER)
			.withObjectEmptySeparator("")
			.withArrayEmptySeparator("");
		return new DefaultPrettyPrinter(separators).withObjectIndenter(indenter).withArrayIndenter(indenter);
	}

}
