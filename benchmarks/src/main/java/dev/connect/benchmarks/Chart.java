package dev.connect.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

/**
 * The PNG chart of the calls part: throughput per mode (left) and latency p50, p90, p99 per mode (right); bars are medians,
 * whiskers the range over runs, and the throughput bars carry the median of their run-by-run ratio to plaintext.
 */
final class Chart {

	private static final int WIDTH = 1200;

	private static final int HEIGHT = 560;

	private static final Color[] LATENCY = { new Color(0x9ecae1), new Color(0x4292c6), new Color(0x08519c) };

	private static final Color THROUGHPUT = new Color(0x31a354);

	private Chart() {
	}

	static void write(Path file, String title, Map<String, Map<String, Spread>> modes) throws IOException {
		System.setProperty("java.awt.headless", "true");
		BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		try {
			g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
			g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
			g.setColor(Color.WHITE);
			g.fillRect(0, 0, WIDTH, HEIGHT);
			g.setColor(Color.BLACK);
			g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
			g.drawString(title, 30, 34);
			List<String> names = List.copyOf(modes.keySet());
			Panel left = new Panel(g, 70, 80, 440, 400, "Requests per second (median, range over runs)");
			double maxThroughput = modes.values().stream().mapToDouble((figures) -> figures.get("requests/s").max()).max().orElse(1);
			left.axis(maxThroughput, "%,.0f");
			for (int i = 0; i < names.size(); i++) {
				Spread throughput = modes.get(names.get(i)).get("requests/s");
				double slot = left.width / (double) names.size();
				int x = (int) (left.x + slot * i + slot * 0.2);
				int barWidth = (int) (slot * 0.6);
				left.bar(x, barWidth, throughput, THROUGHPUT);
				String label = names.get(i).endsWith("plaintext") ? "baseline"
						: String.format(Locale.ROOT, "× %.2f", modes.get(names.get(i)).get("ratio").median());
				left.label(x + barWidth / 2, left.y(throughput.max()) - 8, label);
				left.category(x + barWidth / 2, names.get(i));
			}
			Panel right = new Panel(g, 660, 80, 500, 400, "Latency in ms (median, range over runs)");
			String[] percentiles = { "p50", "p90", "p99" };
			double maxLatency = modes.values().stream()
				.flatMap((figures) -> java.util.Arrays.stream(percentiles).map(figures::get))
				.mapToDouble(Spread::max)
				.max()
				.orElse(1);
			right.axis(maxLatency, "%.2f");
			for (int i = 0; i < names.size(); i++) {
				double slot = right.width / (double) names.size();
				int barWidth = (int) (slot * 0.8 / percentiles.length);
				int x0 = (int) (right.x + slot * i + slot * 0.1);
				for (int p = 0; p < percentiles.length; p++) {
					right.bar(x0 + p * barWidth, barWidth - 4, modes.get(names.get(i)).get(percentiles[p]), LATENCY[p]);
				}
				right.category((int) (right.x + slot * i + slot / 2), names.get(i));
			}
			g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
			for (int p = 0; p < percentiles.length; p++) {
				g.setColor(LATENCY[p]);
				g.fillRect(right.x + 10 + p * 70, 62, 14, 14);
				g.setColor(Color.BLACK);
				g.drawString(percentiles[p], right.x + 28 + p * 70, 74);
			}
		}
		finally {
			g.dispose();
		}
		if (!ImageIO.write(image, "png", file.toFile())) {
			throw new IOException("No PNG writer for " + file);
		}
	}

	/** One plot area: y axis from 0 to a rounded maximum, bars with whiskers, category labels under the axis. */
	private static final class Panel {

		private final Graphics2D g;

		private final int x;

		private final int top;

		private final int width;

		private final int height;

		private double scale;

		Panel(Graphics2D g, int x, int top, int width, int height, String title) {
			this.g = g;
			this.x = x;
			this.top = top;
			this.width = width;
			this.height = height;
			g.setColor(Color.DARK_GRAY);
			g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
			g.drawString(title, x, top - 24);
		}

		void axis(double max, String format) {
			double step = niceStep(max / 5);
			this.scale = step * Math.ceil(max * 1.12 / step);
			this.g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
			FontMetrics metrics = this.g.getFontMetrics();
			for (double tick = 0; tick <= this.scale + step / 2; tick += step) {
				int y = y(tick);
				this.g.setColor(new Color(0xe0e0e0));
				this.g.drawLine(this.x, y, this.x + this.width, y);
				this.g.setColor(Color.DARK_GRAY);
				String text = String.format(Locale.ROOT, format, tick);
				this.g.drawString(text, this.x - 8 - metrics.stringWidth(text), y + 4);
			}
			this.g.setColor(Color.BLACK);
			this.g.drawLine(this.x, y(0), this.x + this.width, y(0));
		}

		int y(double value) {
			return (int) Math.round(this.top + this.height - value / this.scale * this.height);
		}

		void bar(int left, int barWidth, Spread value, Color color) {
			this.g.setColor(color);
			this.g.fillRect(left, y(value.median()), barWidth, y(0) - y(value.median()));
			this.g.setColor(Color.BLACK);
			this.g.setStroke(new BasicStroke(1.5f));
			int middle = left + barWidth / 2;
			this.g.drawLine(middle, y(value.min()), middle, y(value.max()));
			this.g.drawLine(middle - 5, y(value.min()), middle + 5, y(value.min()));
			this.g.drawLine(middle - 5, y(value.max()), middle + 5, y(value.max()));
		}

		void label(int center, int baseline, String text) {
			this.g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
			this.g.setColor(Color.BLACK);
			this.g.drawString(text, center - this.g.getFontMetrics().stringWidth(text) / 2, baseline);
		}

		void category(int center, String text) {
			this.g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
			this.g.setColor(Color.BLACK);
			this.g.drawString(text, center - this.g.getFontMetrics().stringWidth(text) / 2, y(0) + 20);
		}

		private static double niceStep(double raw) {
			double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
			for (double nice : new double[] { 1, 2, 2.5, 5, 10 }) {
				if (nice * magnitude >= raw) {
					return nice * magnitude;
				}
			}
			return 10 * magnitude;
		}

	}

}
