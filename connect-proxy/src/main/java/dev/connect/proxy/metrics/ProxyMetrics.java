package dev.connect.proxy.metrics;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The proxy's meters, rendered in Prometheus' text format by {@link #scrape()}. Consul's built-in proxy names are
 * kept where it has them: {@code inbound.conns}, {@code inbound.rx_bytes}, {@code inbound.tx_bytes} labelled
 * {@code dst}, and {@code upstream.conns}, {@code upstream.rx_bytes}, {@code upstream.tx_bytes} labelled {@code src},
 * {@code dst_type} and {@code dst} ({@code rx} is what the proxy received from the mesh side, {@code tx} what it sent
 * there). Added: {@code <side>.refused} by {@code reason}, and the timers {@code <side>.handshake} (the TLS handshake
 * with the mesh peer) and {@code <side>.dial} (the TCP connect to the local app, or to an upstream instance).
 * Thread-safe.
 */
public final class ProxyMetrics {

	/** Why a connection was refused, the value of the {@code reason} label. */
	public enum Refusal {

		/** The public listener was at {@code max_inbound_connections}. */
		LIMIT,

		/** The TLS handshake failed or did not finish in time, or the peer did not prove the expected identity. */
		HANDSHAKE,

		/** The caller is not allowed (denied, no SPIFFE ID, or no decision in time). */
		UNAUTHORIZED,

		/** No healthy instance of the upstream was known. */
		NO_INSTANCE,

		/** The local app or every instance tried could not be reached. */
		DIAL;

		String label() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

	/** One set of meters per listener identity: a listener started again (a moved port) counts on in the same. */
	private final Map<Tags, Side> sides = new ConcurrentHashMap<>();

	/**
	 * Returns the meters of the public listener of a service.
	 * @param destination the service the proxy fronts
	 * @return its meters (the same meters for the same service)
	 */
	public Side inbound(String destination) {
		return side("inbound", Tags.of("dst", destination));
	}

	/**
	 * Returns the meters of one upstream listener.
	 * @param source the service the proxy represents
	 * @param destination the upstream service
	 * @return its meters (the same meters for the same pair)
	 */
	public Side upstream(String source, String destination) {
		return side("upstream", Tags.of("src", source, "dst_type", "service", "dst", destination));
	}

	private Side side(String prefix, Tags tags) {
		return this.sides.computeIfAbsent(tags.and("side", prefix), (key) -> new Side(this.registry, prefix, tags));
	}

	/**
	 * Renders every meter in Prometheus' text exposition format.
	 * @return the text
	 */
	public String scrape() {
		return this.registry.scrape();
	}

	/** The meters of one listener. */
	public static final class Side {

		private final PrometheusMeterRegistry registry;

		private final String prefix;

		private final Tags tags;

		private final AtomicInteger open;

		private final Counter received;

		private final Counter sent;

		private final Timer handshake;

		private final Timer dial;

		Side(PrometheusMeterRegistry registry, String prefix, Tags tags) {
			this.registry = registry;
			this.prefix = prefix;
			this.tags = tags;
			this.open = new AtomicInteger();
			Gauge.builder(prefix + ".conns", this.open, AtomicInteger::get)
				.tags(tags)
				.description("Open relayed connections")
				.strongReference(true)
				.register(registry);
			this.received = Counter.builder(prefix + ".rx_bytes").tags(tags).baseUnit("bytes").register(registry);
			this.sent = Counter.builder(prefix + ".tx_bytes").tags(tags).baseUnit("bytes").register(registry);
			this.handshake = timer(prefix + ".handshake", "TLS handshakes with mesh peers that succeeded");
			this.dial = timer(prefix + ".dial", "TCP connects that succeeded");
		}

		private Timer timer(String name, String description) {
			return Timer.builder(name)
				.tags(this.tags)
				.description(description)
				.publishPercentileHistogram()
				.minimumExpectedValue(Duration.ofMillis(1))
				.maximumExpectedValue(Duration.ofSeconds(10))
				.register(this.registry);
		}

		/** Counts a relayed connection that opened; call {@link #closed()} when it closes. */
		public void opened() {
			this.open.incrementAndGet();
		}

		/** Counts a relayed connection that closed. */
		public void closed() {
			this.open.decrementAndGet();
		}

		/**
		 * Returns where to count bytes received from the mesh side.
		 * @return the counter, as a consumer of byte counts
		 */
		public LongConsumer received() {
			return this.received::increment;
		}

		/**
		 * Returns where to count bytes sent to the mesh side.
		 * @return the counter, as a consumer of byte counts
		 */
		public LongConsumer sent() {
			return this.sent::increment;
		}

		/**
		 * Counts a refused connection.
		 * @param reason why
		 */
		public void refused(Refusal reason) {
			Counter.builder(this.prefix + ".refused")
				.tags(this.tags)
				.tag("reason", reason.label())
				.description("Connections refused, by reason")
				.register(this.registry)
				.increment();
		}

		/**
		 * Records a TLS handshake that succeeded.
		 * @param nanos how long it took
		 */
		public void handshake(long nanos) {
			this.handshake.record(Duration.ofNanos(nanos));
		}

		/**
		 * Records a TCP connect that succeeded.
		 * @param nanos how long it took
		 */
		public void dial(long nanos) {
			this.dial.record(Duration.ofNanos(nanos));
		}

	}

}
