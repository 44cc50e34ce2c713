package dev.connect.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What one {@link BenchmarkSuite} run found: a JSON tree, a Markdown section per part and the targets with their
 * verdicts, in the order they were measured.
 */
final class Report {

	private final Map<String, Object> json = new LinkedHashMap<>();

	private final java.util.TreeMap<String, String> sections = new java.util.TreeMap<>();

	private final List<Target> targets = new ArrayList<>();

	private final Map<String, Map<String, Spread>> calls = new LinkedHashMap<>();

	/**
	 * Adds one part of the run.
	 * @param key its key in the JSON
	 * @param title its Markdown heading
	 * @param json its figures
	 * @param markdown its Markdown body (what was measured, the tables)
	 */
	void section(String key, String title, Map<String, Object> json, String markdown) {
		this.json.put(key, json);
		this.sections.put(title, "### " + title + "\n\n" + markdown.strip() + "\n\n");
	}

	/**
	 * Records a target and whether this run met it.
	 * @param what the figure
	 * @param target the target as the architecture page states it
	 * @param measured the measured median (and spread)
	 * @param met whether the median meets the target
	 */
	void target(String what, String target, String measured, boolean met) {
		this.targets.add(new Target(what, target, measured, met));
	}

	/**
	 * Keeps a mode's call figures for the chart: {@code requests/s}, {@code p50}, {@code p90}, {@code p99} (ms) and
	 * {@code ratio} (to plaintext, run by run).
	 */
	void calls(String mode, Map<String, Spread> figures) {
		this.calls.put(mode, figures);
	}

	Map<String, Map<String, Spread>> calls() {
		return this.calls;
	}

	List<Target> targets() {
		return this.targets;
	}

	/** The sections in the order of their titles, numbered as in docs/benchmarks.md. */
	String sections() {
		return String.join("", this.sections.values());
	}

	/** The targets as a Markdown table. */
	String targetTable() {
		StringBuilder table = new StringBuilder("| Figure | Target | Measured: median (spread) | Verdict |\n|---|---|---|---|\n");
		for (Target target : this.targets) {
			table.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", target.what(), target.target(),
					target.measured(), target.met() ? "met" : "**missed**"));
		}
		return table.toString();
	}

	Map<String, Object> json(Map<String, Object> header) {
		Map<String, Object> all = new LinkedHashMap<>(header);
		List<Map<String, Object>> verdicts = new ArrayList<>();
		for (Target target : this.targets) {
			Map<String, Object> verdict = new LinkedHashMap<>();
			verdict.put("figure", target.what().replace("`", ""));
			verdict.put("target", target.target());
			verdict.put("measured", target.measured().replace("*", ""));
			verdict.put("met", target.met());
			verdicts.add(verdict);
		}
		all.put("targets", verdicts);
		all.putAll(this.json);
		return all;
	}

	/** Builds a JSON object from alternating keys and values; values may be {@link Spread}s. */
	static Map<String, Object> object(@Nullable Object... keysAndValues) {
		Map<String, Object> object = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			Object value = keysAndValues[i + 1];
			object.put((String) keysAndValues[i], (value instanceof Spread spread) ? spread.toJson() : value);
		}
		return object;
	}

	record Target(String what, String target, String measured, boolean met) {
	}

}
