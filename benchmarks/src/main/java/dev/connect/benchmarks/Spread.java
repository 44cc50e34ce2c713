package dev.connect.benchmarks;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Repeated measurements of one figure: the runs in order, their median and their range.
 * @param runs the value of each run, in run order
 */
record Spread(double[] runs) {

	Spread {
		if (runs.length == 0) {
			throw new IllegalArgumentException("A spread needs at least one run");
		}
		runs = runs.clone();
	}

	static Spread of(double... runs) {
		return new Spread(runs);
	}

	double median() {
		double[] sorted = sorted();
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

	double min() {
		return sorted()[0];
	}

	double max() {
		return sorted()[this.runs.length - 1];
	}

	/** Each run's value divided by the same run's value of another figure (ratios are paired run by run). */
	Spread over(Spread baseline) {
		if (baseline.runs.length != this.runs.length) {
			throw new IllegalArgumentException(
					"Runs must pair up: " + this.runs.length + " against a baseline of " + baseline.runs.length);
		}
		double[] ratios = new double[this.runs.length];
		for (int i = 0; i < ratios.length; i++) {
			ratios[i] = this.runs[i] / baseline.runs[i];
		}
		return new Spread(ratios);
	}

	/** Each run's value less the same run's value of another figure (differences are paired run by run). */
	Spread minus(Spread baseline) {
		if (baseline.runs.length != this.runs.length) {
			throw new IllegalArgumentException(
					"Runs must pair up: " + this.runs.length + " against a baseline of " + baseline.runs.length);
		}
		double[] differences = new double[this.runs.length];
		for (int i = 0; i < differences.length; i++) {
			differences[i] = this.runs[i] - baseline.runs[i];
		}
		return new Spread(differences);
	}

	/** The median in bold and, with more than one run, the range: {@code **1.23** (1.10 – 1.30)}. */
	String format(String pattern) {
		String median = String.format(Locale.ROOT, pattern, median());
		if (this.runs.length == 1) {
			return "**" + median + "**";
		}
		return "**" + median + "** (" + String.format(Locale.ROOT, pattern, min()) + " – "
				+ String.format(Locale.ROOT, pattern, max()) + ")";
	}

	Map<String, Object> toJson() {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("median", median());
		json.put("min", min());
		json.put("max", max());
		json.put("runs", this.runs.clone());
		return json;
	}

	private double[] sorted() {
		double[] sorted = this.runs.clone();
		Arrays.sort(sorted);
		return sorted;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Spread spread && Arrays.equals(this.runs, spread.runs);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(this.runs);
	}

	@Override
	public String toString() {
		return format("%.3f");
	}

}
