package dev.connect.proxy;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.connect.client.AgentClient;
import dev.connect.mesh.UpstreamAddressBook;
import dev.connect.proxy.metrics.ProxyMetrics;
import dev.connect.proxy.listener.UpstreamListener;
import dev.connect.proxy.upstream.UpstreamConfig;
import dev.connect.proxy.upstream.UpstreamResolver;
import dev.connect.tls.CertificateSource;
import io.netty.channel.EventLoopGroup;

/**
 * The running upstream listeners, each with its resolver, kept in step with the registration's
 * {@code Proxy.Upstreams}: an entry that is gone or changed is closed (its open connections finish), a new or changed
 * one is started. Thread-safe.
 */
final class Upstreams implements AutoCloseable {

	private static final Logger logger = System.getLogger(Upstreams.class.getName());

	private final AgentClient client;

	private final EventLoopGroup group;

	private final CertificateSource source;

	private final UpstreamAddressBook addresses;

	private final ProxyMetrics metrics;

	private final String service;

	private final boolean boringSsl;

	private final Map<UpstreamConfig, Running> running = new LinkedHashMap<>();

	Upstreams(AgentClient client, EventLoopGroup group, CertificateSource source, UpstreamAddressBook addresses,
			ProxyMetrics metrics, String service, boolean boringSsl) {
		this.client = client;
		this.group = group;
		this.source = source;
		this.addresses = addresses;
		this.metrics = metrics;
		this.service = service;
		this.boringSsl = boringSsl;
	}

	/**
	 * Starts every upstream, failing on the first that cannot be bound (at start-up, nothing may be half-started).
	 * @param upstreams the upstreams
	 * @throws IllegalStateException when a port cannot be bound; the ones started stay, for the caller to close
	 */
	synchronized void startAll(List<UpstreamConfig> upstreams) {
		for (UpstreamConfig upstream : upstreams) {
			start(upstream);
		}
	}

	/**
	 * Brings the running upstreams in step with a changed registration. An upstream that cannot be bound is logged and
	 * left out; the others keep serving.
	 * @param upstreams the upstreams now registered
	 */
	synchronized void apply(List<UpstreamConfig> upstreams) {
		for (var entries = this.running.entrySet().iterator(); entries.hasNext();) {
			Map.Entry<UpstreamConfig, Running> entry = entries.next();
			UpstreamConfig old = entry.getKey();
			if (!upstreams.contains(old)) {
				entries.remove();
				entry.getValue().close();
				logger.log(Level.INFO, "Upstream ''{0}'' on {1}:{2,number,#} removed", old.destinationName(),
						old.localBindAddress(), old.localBindPort());
			}
		}
		for (UpstreamConfig upstream : upstreams) {
			if (this.running.containsKey(upstream)) {
				continue;
			}
			try {
				InetSocketAddress address = start(upstream);
				logger.log(Level.INFO, "Upstream ''{0}'' added on {1}", upstream.destinationName(), address);
			}
			catch (IllegalStateException ex) {
				logger.log(Level.WARNING, ex.getMessage());
			}
		}
	}

	private InetSocketAddress start(UpstreamConfig upstream) {
		UpstreamResolver resolver = UpstreamResolver.start(this.client, upstream.destinationName(), this.addresses);
		try {
			UpstreamListener listener = UpstreamListener.start(this.group,
					new InetSocketAddress(upstream.localBindAddress(), upstream.localBindPort()), resolver, this.source,
					this.addresses, upstream.connectTimeout(), upstream.idleTimeout(),
					this.metrics.upstream(this.service, upstream.destinationName()), this.boringSsl);
			this.running.put(upstream, new Running(resolver, listener));
			return listener.address();
		}
		catch (RuntimeException ex) {
			resolver.close();
			throw ex;
		}
	}

	/**
	 * Returns where each upstream listener is bound, by destination service.
	 * @return the addresses
	 */
	synchronized Map<String, InetSocketAddress> addresses() {
		Map<String, InetSocketAddress> bound = new LinkedHashMap<>();
		this.running.forEach((upstream, run) -> bound.put(upstream.destinationName(), run.listener().address()));
		return Map.copyOf(bound);
	}

	@Override
	public synchronized void close() {
		this.running.values().forEach(Running::close);
		this.running.clear();
	}

	private record Running(UpstreamResolver resolver, UpstreamListener listener) {

		void close() {
			this.listener.close();
			this.resolver.close();
		}

	}

}
