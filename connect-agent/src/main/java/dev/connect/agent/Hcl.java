package dev.connect.agent;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The HCL that {@code consul config write} and {@code consul services register} read, decoded into the same maps as
 * their JSON: attributes ({@code Kind = "mesh"}), blocks ({@code Sources { ... }}), lists, objects
 * ({@code Meta = { a = "b" }}), strings with Go's escapes, heredocs ({@code <<EOF}), numbers, booleans and
 * {@code #}, {@code //} and {@code /* *}{@code /} comments. A repeated block, and a block whose key names a list
 * field ({@code Sources}, {@code Permissions}, {@code Checks}, {@code Upstreams}, ...), becomes a list; any other
 * block an object, as Consul's decoder patches HCL's lists of blocks. A failure names line and column:
 * {@code At 3:9: expected '=' or '{' after "Name"}.
 */
final class Hcl {

	/** Fields that are lists in config entries and service definitions, lower case, without underscores. */
	private static final Set<String> LIST_BLOCKS = Set.of("sources", "permissions", "header", "paths", "checks",
			"upstreams", "services", "routes", "splits", "listeners", "methods", "servicetags");

	private final String text;

	private int position;

	private Hcl(String text) {
		this.text = text;
	}

	/**
	 * Decodes a document.
	 * @param text the HCL
	 * @return its attributes and blocks, in order
	 * @throws IllegalArgumentException naming line and column when the text is not HCL this decoder reads
	 */
	static Map<String, Object> parse(String text) {
		Hcl hcl = new Hcl(text);
		Map<String, Object> body = hcl.body(false);
		hcl.skipSpace();
		if (hcl.position < text.length()) {
			throw hcl.error("unexpected '" + text.charAt(hcl.position) + "'");
		}
		return body;
	}

	private Map<String, Object> body(boolean inBlock) {
		Map<String, Object> body = new LinkedHashMap<>();
		while (true) {
			skipSpace();
			if (this.position >= this.text.length() || (inBlock && peek() == '}')) {
				return body;
			}
			String key = key();
			skipSpace();
			char next = (this.position < this.text.length()) ? peek() : '\0';
			if (next == '=') {
				this.position++;
				body.put(key, value());
			}
			else if (next == '{') {
				this.position++;
				Map<String, Object> block = body(true);
				expect('}');
				putBlock(body, key, block);
			}
			else {
				throw error("expected '=' or '{' after \"" + key + "\"");
			}
		}
	}

	@SuppressWarnings("unchecked")
	private static void putBlock(Map<String, Object> body, String key, Map<String, Object> block) {
		Object existing = body.get(key);
		if (existing instanceof List<?> list) {
			((List<Object>) list).add(block);
		}
		else if (existing != null) {
			List<Object> list = new ArrayList<>();
			list.add(existing);
			list.add(block);
			body.put(key, list);
		}
		else if (LIST_BLOCKS.contains(key.replace("_", "").toLowerCase(Locale.ROOT))) {
			List<Object> list = new ArrayList<>();
			list.add(block);
			body.put(key, list);
		}
		else {
			body.put(key, block);
		}
	}

	private String key() {
		if (peek() == '"') {
			return string();
		}
		int start = this.position;
		while (this.position < this.text.length() && isIdentifier(peek())) {
			this.position++;
		}
		if (start == this.position) {
			throw error("expected a key, found '" + peek() + "'");
		}
		return this.text.substring(start, this.position);
	}

	private Object value() {
		skipSpace();
		if (this.position >= this.text.length()) {
			throw error("expected a value");
		}
		char c = peek();
		if (c == '"') {
			return string();
		}
		if (c == '<' && this.text.startsWith("<<", this.position)) {
			return heredoc();
		}
		if (c == '[') {
			return list();
		}
		if (c == '{') {
			return object();
		}
		if (c == '-' || Character.isDigit(c)) {
			return number();
		}
		String word = key();
		return switch (word) {
			case "true" -> Boolean.TRUE;
			case "false" -> Boolean.FALSE;
			default -> throw error("unknown value '" + word + "': strings need double quotes");
		};
	}

	private List<Object> list() {
		this.position++;
		List<Object> list = new ArrayList<>();
		while (true) {
			skipSpace();
			if (this.position < this.text.length() && peek() == ']') {
				this.position++;
				return list;
			}
			if (this.position >= this.text.length()) {
				throw error("expected ']' to end a list");
			}
			// Commas are skipped with the white space.
			list.add(value());
		}
	}

	private Map<String, Object> object() {
		this.position++;
		Map<String, Object> object = new LinkedHashMap<>();
		while (true) {
			skipSpace();
			if (this.position >= this.text.length()) {
				throw error("expected '}' to end an object");
			}
			if (peek() == '}') {
				this.position++;
				return object;
			}
			String key = key();
			skipSpace();
			if (this.position >= this.text.length() || (peek() != '=' && peek() != ':')) {
				throw error("expected '=' after \"" + key + "\"");
			}
			this.position++;
			object.put(key, value());
		}
	}

	private String string() {
		int start = this.position;
		this.position++;
		StringBuilder value = new StringBuilder();
		while (this.position < this.text.length() && peek() != '"') {
			char c = this.text.charAt(this.position++);
			if (c == '\n') {
				break;
			}
			if (c == '\\' && this.position < this.text.length()) {
				char escaped = this.text.charAt(this.position++);
				switch (escaped) {
					case 'n' -> value.append('\n');
					case 't' -> value.append('\t');
					case 'r' -> value.append('\r');
					case '"', '\\', '/' -> value.append(escaped);
					default -> throw error("unknown escape '\\" + escaped + "' in a string");
				}
			}
			else {
				value.append(c);
			}
		}
		if (this.position >= this.text.length() || peek() != '"') {
			this.position = start;
			throw error("unterminated string");
		}
		this.position++;
		return value.toString();
	}

	/** {@code <<EOF} (or {@code <<-EOF}, which strips the indentation of the closing line) up to a line {@code EOF}. */
	private String heredoc() {
		int start = this.position;
		this.position += 2;
		boolean indented = this.position < this.text.length() && peek() == '-';
		this.position += indented ? 1 : 0;
		int lineEnd = this.text.indexOf('\n', this.position);
		String marker = (lineEnd < 0) ? "" : this.text.substring(this.position, lineEnd).trim();
		if (marker.isEmpty()) {
			this.position = start;
			throw error("a heredoc needs a marker and a new line after '<<'");
		}
		StringBuilder value = new StringBuilder();
		int line = lineEnd + 1;
		while (line <= this.text.length()) {
			int end = this.text.indexOf('\n', line);
			String content = this.text.substring(line, (end < 0) ? this.text.length() : end);
			if ((indented ? content.trim() : content).equals(marker)) {
				this.position = (end < 0) ? this.text.length() : end;
				return value.toString();
			}
			value.append(content).append('\n');
			if (end < 0) {
				break;
			}
			line = end + 1;
		}
		this.position = start;
		throw error("heredoc not terminated by a line '" + marker + "'");
	}

	private Object number() {
		int start = this.position;
		this.position++;
		while (this.position < this.text.length() && (Character.isDigit(peek()) || ".eE+-".indexOf(peek()) >= 0)) {
			this.position++;
		}
		String number = this.text.substring(start, this.position);
		try {
			BigDecimal value = new BigDecimal(number);
			return (value.scale() <= 0 && number.indexOf('.') < 0) ? (Object) value.longValueExact() : value;
		}
		catch (NumberFormatException | ArithmeticException ex) {
			this.position = start;
			throw error("invalid number '" + number + "'");
		}
	}

	private void skipSpace() {
		while (this.position < this.text.length()) {
			char c = peek();
			if (Character.isWhitespace(c) || c == ',') {
				this.position++;
			}
			else if (c == '#' || this.text.startsWith("//", this.position)) {
				int end = this.text.indexOf('\n', this.position);
				this.position = (end < 0) ? this.text.length() : end;
			}
			else if (this.text.startsWith("/*", this.position)) {
				int end = this.text.indexOf("*/", this.position + 2);
				if (end < 0) {
					throw error("unterminated comment");
				}
				this.position = end + 2;
			}
			else {
				return;
			}
		}
	}

	private void expect(char c) {
		skipSpace();
		if (this.position >= this.text.length() || peek() != c) {
			throw error("expected '" + c + "'");
		}
		this.position++;
	}

	private char peek() {
		return this.text.charAt(this.position);
	}

	private static boolean isIdentifier(char c) {
		return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.';
	}

	/** Consul's HCL errors read {@code At <line>:<column>: <reason>}. */
	private IllegalArgumentException error(String reason) {
		int line = 1;
		int column = 1;
		for (int i = 0; i < Math.min(this.position, this.text.length()); i++) {
			if (this.text.charAt(i) == '\n') {
				line++;
				column = 1;
			}
			else {
				column++;
			}
		}
		return new IllegalArgumentException("At " + line + ":" + column + ": " + reason);
	}

}
