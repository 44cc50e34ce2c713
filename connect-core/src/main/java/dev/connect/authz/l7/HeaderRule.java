package dev.connect.authz.l7;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One {@code Header} matcher of an L7 permission, matched as Envoy matches it: the header's values joined with
 * {@code ,}; a missing header matches only {@code Present} with {@code Invert}.
 */
final class HeaderRule {

	private static final Set<String> FIELDS = Set.of("Name", "Present", "Exact", "Prefix", "Suffix", "Contains",
			"Regex", "Invert", "IgnoreCase");

	private enum Kind {

		PRESENT, EXACT, PREFIX, SUFFIX, CONTAINS, REGEX

	}

	private final String name;

	private final Kind kind;

	private final String value;

	private final @Nullable Pattern regex;

	private final boolean invert;

	private final boolean ignoreCase;

	private HeaderRule(String name, Kind kind, String value, boolean invert, boolean ignoreCase) {
		this.name = name.toLowerCase(Locale.ROOT);
		this.kind = kind;
		this.ignoreCase = ignoreCase;
		this.value = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
		this.regex = (kind == Kind.REGEX) ? compile(value) : null;
		this.invert = invert;
	}

	static HeaderRule of(JsonNode node) {
		EntryFields.object(node, "a Header matcher");
		String unknown = EntryFields.unknownField(node, FIELDS);
		if (!unknown.isEmpty()) {
			throw new UnsupportedRuleException("a Header matcher has the field '" + unknown
					+ "', which this version does not enforce");
		}
		String name = EntryFields.text(node, "Name");
		if (name.isEmpty()) {
			throw new MalformedEntryException("a Header matcher has no Name");
		}
		Kind kind = null;
		String value = "";
		for (Kind candidate : Kind.values()) {
			String field = candidate.name().charAt(0) + candidate.name().substring(1).toLowerCase(Locale.ROOT);
			boolean set = (candidate == Kind.PRESENT) ? EntryFields.bool(node, field)
					: !EntryFields.text(node, field).isEmpty();
			if (set && kind != null) {
				throw new MalformedEntryException("the Header matcher for '" + name + "' has more than one match");
			}
			if (set) {
				kind = candidate;
				value = (candidate == Kind.PRESENT) ? "" : EntryFields.text(node, field);
			}
		}
		if (kind == null) {
			throw new MalformedEntryException("the Header matcher for '" + name + "' has no match");
		}
		return new HeaderRule(name, kind, value, EntryFields.bool(node, "Invert"),
				EntryFields.bool(node, "IgnoreCase"));
	}

	private static Pattern compile(String regex) {
		try {
			return Pattern.compile(regex);
		}
		catch (PatternSyntaxException ex) {
			throw new MalformedEntryException("the header regex '" + regex + "' does not compile");
		}
	}

	boolean matches(HeadersRead headers) {
		List<String> values = headers.values(this.name);
		if (values.isEmpty()) {
			return this.kind == Kind.PRESENT && this.invert;
		}
		return test((values.size() == 1) ? values.get(0) : String.join(",", values)) != this.invert;
	}

	private boolean test(String joined) {
		String actual = this.ignoreCase ? joined.toLowerCase(Locale.ROOT) : joined;
		return switch (this.kind) {
			case PRESENT -> true;
			case EXACT -> actual.equals(this.value);
			case PREFIX -> actual.startsWith(this.value);
			case SUFFIX -> actual.endsWith(this.value);
			case CONTAINS -> actual.contains(this.value);
			case REGEX -> this.regex != null && this.regex.matcher(actual).matches();
		};
	}

	@Override
	public String toString() {
		return "header '" + this.name + "' " + this.kind.name().toLowerCase(Locale.ROOT)
				+ (this.value.isEmpty() ? "" : " '" + this.value + "'") + (this.invert ? " inverted" : "");
	}

}
